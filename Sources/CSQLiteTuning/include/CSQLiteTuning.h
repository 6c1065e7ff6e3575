#ifndef CSQLITETUNING_H
#define CSQLITETUNING_H

/// Turns off SQLite's memory statistics before the first connection opens, once per process.
/// With them on (the library's default), every allocation SQLite makes takes one global mutex,
/// so connections on several threads (the server, or many workspaces in one process) queue on
/// it. SQLite recommends building with SQLITE_DEFAULT_MEMSTATUS=0; the system library is not,
/// and sqlite3_config is variadic, which Swift cannot call. Harmless when SQLite already started.
void fieldbook_sqlite_tune(void);

#endif
