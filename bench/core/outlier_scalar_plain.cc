// The outlier kernel's scalar twin compiled once more with the compiler's auto-vectoriser
// off (bench/CMakeLists.txt sets the flags on this file), in its own namespace: the plain
// scalar baseline. The core's own build lets the compiler vectorise the twin's loops, so
// "SIMD vs scalar" is reported against both.
#define mooscomp mooscomp_plain_scalar
#include "../../core/src/outlier_scalar.cc"  // NOLINT: the same source, other flags
#undef mooscomp
