#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <microhttpd.h>

// MHD_start_daemon is variadic, which Swift cannot call. Every option goes
// through MHD_OPTION_ARRAY instead, so this one fixed signature is enough.
static inline struct MHD_Daemon *cmhd_start_daemon(unsigned int flags, uint16_t port,
                                                   MHD_AccessHandlerCallback handler,
                                                   void *handler_context,
                                                   struct MHD_OptionItem *options) {
    return MHD_start_daemon(flags, port, NULL, NULL, handler, handler_context,
                            MHD_OPTION_ARRAY, options, MHD_OPTION_END);
}

// Open connections, summed over the thread pool by libmicrohttpd itself.
static inline unsigned int cmhd_open_connections(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info =
        MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
    return info == NULL ? 0 : info->num_connections;
}

// MHD_get_daemon_info returns a union; reading the bound port through it is
// awkward from Swift, so it is read here.
static inline uint16_t cmhd_bound_port(struct MHD_Daemon *daemon) {
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(daemon, MHD_DAEMON_INFO_BIND_PORT);
    return info == NULL ? 0 : info->port;
}

// Two-argument options carry a function pointer in `value`; building the item here keeps
// the pointer-to-integer cast out of Swift.
static inline struct MHD_OptionItem cmhd_option_notify_completed(
    MHD_RequestCompletedCallback callback, void *context) {
    struct MHD_OptionItem item = {MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)callback, context};
    return item;
}

typedef void *(*cmhd_uri_log_callback)(void *context, const char *uri,
                                       struct MHD_Connection *connection);

static inline struct MHD_OptionItem cmhd_option_uri_log(cmhd_uri_log_callback callback,
                                                        void *context) {
    struct MHD_OptionItem item = {MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)callback, context};
    return item;
}

// The logger receives a va_list; it is formatted here so that Swift sees plain text.
typedef void (*cmhd_message_callback)(void *context, const char *message);

struct cmhd_logger {
    cmhd_message_callback callback;
    void *context;
};

static inline void cmhd_format_message(void *logger, const char *format, va_list arguments) {
    char text[512];
    struct cmhd_logger *target = (struct cmhd_logger *)logger;
    vsnprintf(text, sizeof(text), format, arguments);
    target->callback(target->context, text);
}

static inline struct MHD_OptionItem cmhd_option_logger(struct cmhd_logger *logger) {
    struct MHD_OptionItem item = {MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)cmhd_format_message,
                                  logger};
    return item;
}

// The peer address as text (IPv4 or IPv6); writes an empty string when it is unknown.
static inline void cmhd_client_address(struct MHD_Connection *connection, char *text,
                                       size_t size) {
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    text[0] = '\0';
    if (info == NULL || info->client_addr == NULL) {
        return;
    }
    const struct sockaddr *address = info->client_addr;
    if (address->sa_family == AF_INET) {
        inet_ntop(AF_INET, &((const struct sockaddr_in *)address)->sin_addr, text,
                  (socklen_t)size);
    } else if (address->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)address)->sin6_addr, text,
                  (socklen_t)size);
    }
}
