// A small stand-in for Google Benchmark's API, for the wasm build (the library is only
// installed natively). Same benchmark sources, same JSON output shape; only what the
// benchmarks here use: State loops, range(), byte/item rates, labels, manual time, Args.
#pragma once

#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace benchmark {

enum TimeUnit { kNanosecond, kMicrosecond, kMillisecond };

class State {
 public:
  State(int64_t iterations, std::vector<int64_t> args) : iterations_(iterations), args_(std::move(args)) {}

  // A type marked unused, so `for (auto _ : state)` does not warn (as in Google Benchmark).
  struct __attribute__((unused)) Value {};
  struct Iterator {
    State* state;
    int64_t left;
    bool operator!=(const Iterator& other) const {
      if (left != other.left) return true;
      state->Stop();
      return false;
    }
    void operator++() { --left; }
    Value operator*() const { return {}; }
  };
  Iterator begin() {
    Start();
    return {this, iterations_};
  }
  Iterator end() { return {this, 0}; }

  int64_t range(size_t i = 0) const { return args_.at(i); }
  int64_t iterations() const { return iterations_; }
  void SetBytesProcessed(int64_t bytes) { bytes_ = bytes; }
  void SetItemsProcessed(int64_t items) { items_ = items; }
  void SetLabel(const std::string& label) { label_ = label; }
  void SetIterationTime(double seconds) { manual_seconds_ += seconds; }
  void SkipWithError(const char* message) { error_ = message; }

  // For the runner.
  double seconds(bool manual) const { return manual ? manual_seconds_ : elapsed_; }
  double cpu_seconds() const { return cpu_; }
  int64_t bytes() const { return bytes_; }
  int64_t items() const { return items_; }
  const std::string& label() const { return label_; }
  const std::string& error() const { return error_; }

 private:
  void Start() {
    cpu_start_ = ProcessCpuSeconds();
    start_ = std::chrono::steady_clock::now();
  }
  void Stop() {
    elapsed_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    cpu_ = ProcessCpuSeconds() - cpu_start_;
  }
  static double ProcessCpuSeconds();

  int64_t iterations_;
  std::vector<int64_t> args_;
  std::chrono::steady_clock::time_point start_;
  double elapsed_ = 0, manual_seconds_ = 0, cpu_start_ = 0, cpu_ = 0;
  int64_t bytes_ = 0, items_ = 0;
  std::string label_, error_;
};

namespace internal {

using Function = void (*)(State&);

class Benchmark {
 public:
  Benchmark(const char* name, Function fn) : name_(name), fn_(fn) {}
  Benchmark* Arg(int64_t x) {
    args_.push_back({x});
    return this;
  }
  Benchmark* Args(std::initializer_list<int64_t> xs) {
    args_.push_back(xs);
    return this;
  }
  Benchmark* ArgName(const char*) { return this; }
  Benchmark* ArgNames(std::initializer_list<const char*>) { return this; }
  Benchmark* Unit(TimeUnit unit) {
    unit_ = unit;
    return this;
  }
  Benchmark* UseManualTime() {
    manual_ = true;
    return this;
  }

  const std::string name_;
  const Function fn_;
  std::vector<std::vector<int64_t>> args_;
  TimeUnit unit_ = kNanosecond;
  bool manual_ = false;
};

Benchmark* Register(Benchmark* b);
int RunAll(int argc, char** argv);

}  // namespace internal

// The value's address escapes into an opaque statement that may read and write memory.
template <class T>
inline void DoNotOptimize(T&& value) {
  asm volatile("" : : "r"(&value) : "memory");
}
inline void ClobberMemory() { asm volatile("" : : : "memory"); }

}  // namespace benchmark

#define MINI_BENCHMARK_CONCAT2(a, b) a##b
#define MINI_BENCHMARK_CONCAT(a, b) MINI_BENCHMARK_CONCAT2(a, b)
#define BENCHMARK(fn)                                                                   \
  static ::benchmark::internal::Benchmark* MINI_BENCHMARK_CONCAT(mini_bench_, __LINE__) \
      [[maybe_unused]] = ::benchmark::internal::Register(new ::benchmark::internal::Benchmark(#fn, fn))
#define BENCHMARK_MAIN() \
  int main(int argc, char** argv) { return ::benchmark::internal::RunAll(argc, argv); }
