// The estimate is public (the JS layer counts protected segments with it).
#pragma once

#include "mooscomp/target_tokens.h"
