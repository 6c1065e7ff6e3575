#include "CSQLiteTuning.h"
#include <pthread.h>
#include <sqlite3.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void tune(void) {
    // SQLITE_MISUSE when SQLite is initialised already: the statistics then stay on.
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

void fieldbook_sqlite_tune(void) {
    pthread_once(&once, tune);
}
