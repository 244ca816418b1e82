/* fixed_server.c — the ceiling for bench_http.sh: a libmicrohttpd server with the daemon's threading
 * that answers every request with the same 1 KB body, so the HTTP layer's own cost is known. */
#include <microhttpd.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char body[1024];

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **state)
{
    (void)cls, (void)url, (void)method, (void)version, (void)upload, (void)upload_size, (void)state;
    struct MHD_Response *r = MHD_create_response_from_buffer(sizeof body, body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

int main(int argc, char **argv)
{
    unsigned port = argc > 1 ? (unsigned)atoi(argv[1]) : 18181, threads = argc > 2 ? (unsigned)atoi(argv[2]) : 4;
    memset(body, 'x', sizeof body);
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, (uint16_t)port, NULL, NULL,
                                            answer, NULL, MHD_OPTION_THREAD_POOL_SIZE, threads,
                                            MHD_OPTION_CONNECTION_LIMIT, 512u, MHD_OPTION_END);
    if (!d)
        return 1;
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    sigprocmask(SIG_BLOCK, &stop, NULL);
    int sig;
    sigwait(&stop, &sig);
    MHD_stop_daemon(d);
    return 0;
}
