// The runner of the Google Benchmark stand-in: grows the iteration count until a run lasts
// --benchmark_min_time seconds, repeats it, and prints Google Benchmark's JSON shape
// (median, mean and coefficient of variation per benchmark), so one report script reads both.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "benchmark/benchmark.h"

#if defined(__EMSCRIPTEN__)
#include <emscripten.h>
// CPU time of the Node process: wall time is unreliable on a shared machine.
EM_JS(double, mini_benchmark_cpu_seconds, (), {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
});
#else
#include <ctime>
static double mini_benchmark_cpu_seconds() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
#endif

namespace benchmark {

double State::ProcessCpuSeconds() { return mini_benchmark_cpu_seconds(); }

namespace internal {
namespace {

std::vector<Benchmark*>& Registry() {
  static std::vector<Benchmark*> all;
  return all;
}

struct Flags {
  double min_time = 0.2;
  int repetitions = 5;
  std::string filter;
};

Flags Parse(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    const char* a = argv[i];
    if (!std::strncmp(a, "--benchmark_min_time=", 21)) f.min_time = std::atof(a + 21);
    else if (!std::strncmp(a, "--benchmark_repetitions=", 24)) f.repetitions = std::atoi(a + 24);
    else if (!std::strncmp(a, "--benchmark_filter=", 19)) f.filter = a + 19;
  }
  return f;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

Benchmark* Register(Benchmark* b) {
  Registry().push_back(b);
  return b;
}

int RunAll(int argc, char** argv) {
  const Flags flags = Parse(argc, argv);
  std::printf("{\n \"context\": {\"library\": \"mini_benchmark\", \"repetitions\": %d},\n \"benchmarks\": [",
              flags.repetitions);
  bool first = true;
  for (Benchmark* b : Registry()) {
    std::vector<std::vector<int64_t>> arg_sets = b->args_;
    if (arg_sets.empty()) arg_sets.push_back({});
    for (const auto& args : arg_sets) {
      std::string name = b->name_;
      for (int64_t a : args) name += "/" + std::to_string(a);
      if (b->manual_) name += "/manual_time";
      if (!flags.filter.empty() && name.find(flags.filter) == std::string::npos) continue;

      int64_t iterations = 1;
      for (;;) {  // calibrate
        State s(iterations, args);
        b->fn_(s);
        if (!s.error().empty()) break;
        const double t = s.seconds(b->manual_);
        if (t >= flags.min_time || iterations >= (int64_t{1} << 30)) break;
        const double grow = t > 0 ? std::min(10.0, 1.4 * flags.min_time / t) : 10.0;
        iterations = std::max(iterations + 1, static_cast<int64_t>(iterations * grow));
      }
      std::vector<double> ns, cpu_ns;
      double bytes_rate = 0, items_rate = 0;
      std::string label, error;
      for (int r = 0; r < flags.repetitions; ++r) {
        State s(iterations, args);
        b->fn_(s);
        error = s.error();
        if (!error.empty()) break;
        const double t = s.seconds(b->manual_);
        ns.push_back(t * 1e9 / static_cast<double>(iterations));
        // Manual time is what the benchmark measured itself; CPU time then is the same.
        cpu_ns.push_back((b->manual_ ? t : s.cpu_seconds()) * 1e9 / static_cast<double>(iterations));
        const double rate_time = b->manual_ ? t : s.cpu_seconds();  // as Google Benchmark: CPU time
        bytes_rate += s.bytes() / rate_time / flags.repetitions;
        items_rate += s.items() / rate_time / flags.repetitions;
        label = s.label();
      }
      std::printf("%s\n  {\"name\": \"%s\", ", first ? "" : ",", Escape(name).c_str());
      first = false;
      if (!error.empty()) {
        std::printf("\"error_occurred\": true, \"error_message\": \"%s\"}", Escape(error).c_str());
        continue;
      }
      const double median = Median(ns), cpu_median = Median(cpu_ns);
      const size_t n = ns.size();
      double mean = 0;
      for (double v : ns) mean += v / n;
      double var = 0;
      for (double v : ns) var += (v - mean) * (v - mean) / (n > 1 ? n - 1 : 1);
      std::printf(
          "\"run_type\": \"aggregate\", \"aggregate_name\": \"median\", \"iterations\": %lld, "
          "\"real_time\": %.3f, \"cpu_time\": %.3f, \"time_unit\": \"ns\", \"cv\": %.4f, "
          "\"bytes_per_second\": %.1f, \"items_per_second\": %.1f, \"label\": \"%s\"}",
          static_cast<long long>(iterations), median, cpu_median, mean > 0 ? std::sqrt(var) / mean : 0.0, bytes_rate,
          items_rate, Escape(label).c_str());
    }
  }
  std::printf("\n ]\n}\n");
  return 0;
}

}  // namespace internal
}  // namespace benchmark
