#ifndef FIELDBOOK_CURL_H
#define FIELDBOOK_CURL_H

#include <curl/curl.h>

// Typed wrappers over libcurl's variadic curl_easy_setopt and curl_easy_getinfo, which Swift
// cannot call directly. Each returns libcurl's own result code.
typedef size_t (*fb_curl_data_callback)(char *buffer, size_t size, size_t count, void *context);

// libcurl's global state, once; also ignores SIGPIPE, which a write to a connection the peer
// reset can raise and which would end the process (libcurl's own guard is off with NOSIGNAL).
CURLcode fb_curl_global_init(void);
CURLcode fb_curl_set_long(CURL *handle, CURLoption option, long value);
CURLcode fb_curl_set_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode fb_curl_set_string(CURL *handle, CURLoption option, const char *value);
CURLcode fb_curl_set_pointer(CURL *handle, CURLoption option, void *value);
CURLcode fb_curl_set_callback(CURL *handle, CURLoption option, fb_curl_data_callback callback);
CURLcode fb_curl_response_code(CURL *handle, long *code);
// Trusts the PEM certificates in memory (copied by libcurl) instead of the system's CAs: the
// system's CA file and CA folder are both dropped for this handle.
CURLcode fb_curl_set_ca_certificates(CURL *handle, const void *pem, size_t length);
// HTTP and HTTPS only, on libcurl before and after 7.85 (which renamed the option).
CURLcode fb_curl_allow_http_only(CURL *handle);
// The value of the last response's header `name` (owned by libcurl until the next transfer
// on the handle), or NULL when absent or when libcurl is older than 7.84 (no header API).
const char *fb_curl_response_header(CURL *handle, const char *name);

#endif
