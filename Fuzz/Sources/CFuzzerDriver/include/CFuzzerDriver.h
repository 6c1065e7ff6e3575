#ifndef FIELDBOOK_C_FUZZER_DRIVER_H
#define FIELDBOOK_C_FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer): parses libFuzzer's options
/// from argv and runs `callback` on each input. Declared here so Swift can call it.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
