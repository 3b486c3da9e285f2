#include "batcher.h"

#include <algorithm>

namespace mooscomp {

void BuildBatches(const Encoding& tokens, const std::vector<Window>& windows, const Tokenizer& tokenizer,
                  int max_rows, std::vector<Batch>* batches, std::vector<BatchSlot>* slots) {
  batches->clear();
  slots->assign(windows.size(), BatchSlot{});
  std::vector<uint32_t> members;  // window indices of the batch being filled
  members.reserve(max_rows);

  auto flush = [&]() {
    if (members.empty()) return;
    uint32_t longest = 0;
    for (uint32_t w : members) longest = std::max(longest, windows[w].token_end - windows[w].token_begin);
    Batch batch;
    batch.rows = static_cast<int>(members.size());
    batch.seq_len = static_cast<int>(longest) + 2;
    const size_t cells = static_cast<size_t>(batch.rows) * batch.seq_len;
    batch.input_ids.assign(cells, tokenizer.pad_id());
    batch.attention_mask.assign(cells, 0);
    for (int row = 0; row < batch.rows; ++row) {
      const Window& win = windows[members[row]];
      int64_t* ids = batch.input_ids.data() + static_cast<size_t>(row) * batch.seq_len;
      int64_t* mask = batch.attention_mask.data() + static_cast<size_t>(row) * batch.seq_len;
      const uint32_t n = win.token_end - win.token_begin;
      ids[0] = tokenizer.cls_id();
      for (uint32_t k = 0; k < n; ++k) ids[k + 1] = tokens.ids[win.token_begin + k];
      ids[n + 1] = tokenizer.sep_id();
      std::fill(mask, mask + n + 2, 1);
      (*slots)[members[row]] = {static_cast<int32_t>(batches->size()), row};
    }
    batches->push_back(std::move(batch));
    members.clear();
  };

  for (uint32_t w = 0; w < windows.size(); ++w) {
    if (windows[w].token_end == windows[w].token_begin) continue;
    members.push_back(w);
    if (static_cast<int>(members.size()) == max_rows) flush();
  }
  flush();
}

}  // namespace mooscomp
