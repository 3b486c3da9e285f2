#include "mooscomp/status.h"

namespace mooscomp {

const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "INVALID_ARGUMENT";
    case StatusCode::kInvalidUtf8: return "INVALID_UTF8";
    case StatusCode::kInvalidModel: return "INVALID_MODEL";
    case StatusCode::kInvalidState: return "INVALID_STATE";
    case StatusCode::kInternal: return "INTERNAL";
  }
  return "INTERNAL";  // an out-of-range value cast to StatusCode
}

}  // namespace mooscomp
