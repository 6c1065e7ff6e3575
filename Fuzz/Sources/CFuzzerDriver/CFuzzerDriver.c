// Only the header matters: LLVMFuzzerRunDriver is defined by libFuzzer itself.
#include "CFuzzerDriver.h"
