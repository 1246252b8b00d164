#include <libpq-fe.h>
// glibc's mallopt, which Postgres uses to keep the memory of freed results (see Connection.keepFreedMemory).
#include <malloc.h>
