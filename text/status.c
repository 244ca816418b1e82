/* status.c — English descriptions of the library's status codes.
 * Kept with the text module because every other module links it first. */
#include "tracuu.h"

const char *tc_status_to_string(tc_status status)
{
    switch (status) {
    case TC_OK: return "ok";
    case TC_ERR_NOMEM: return "out of memory";
    case TC_ERR_IO: return "input/output error";
    case TC_ERR_INVALID: return "invalid input";
    case TC_ERR_NOTFOUND: return "not found";
    case TC_ERR_LOCKED: return "the index is locked by another writer";
    case TC_ERR_CORRUPT: return "the index is damaged";
    case TC_ERR_MODIFIED: return "the index changed while it was being read";
    case TC_ERR_BACKEND: return "Xapian error";
    }
    return "unknown status";
}
