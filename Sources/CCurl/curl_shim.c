#include "fieldbook_curl.h"
#include <signal.h>

CURLcode fb_curl_global_init(void) {
    signal(SIGPIPE, SIG_IGN);
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}
CURLcode fb_curl_set_long(CURL *handle, CURLoption option, long value) { return curl_easy_setopt(handle, option, value); }
CURLcode fb_curl_set_offset(CURL *handle, CURLoption option, curl_off_t value) { return curl_easy_setopt(handle, option, value); }
CURLcode fb_curl_set_string(CURL *handle, CURLoption option, const char *value) { return curl_easy_setopt(handle, option, value); }
CURLcode fb_curl_set_pointer(CURL *handle, CURLoption option, void *value) { return curl_easy_setopt(handle, option, value); }
CURLcode fb_curl_set_callback(CURL *handle, CURLoption option, fb_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}
CURLcode fb_curl_response_code(CURL *handle, long *code) { return curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, code); }
CURLcode fb_curl_set_ca_certificates(CURL *handle, const void *pem, size_t length) {
    struct curl_blob blob = { (void *)pem, length, CURL_BLOB_COPY };
    CURLcode code = curl_easy_setopt(handle, CURLOPT_CAINFO_BLOB, &blob);
    if (code != CURLE_OK) return code;
    // The blob replaces the CA file only; the compiled-in CA folder would still be trusted.
    return curl_easy_setopt(handle, CURLOPT_CAPATH, (char *)NULL);
}

CURLcode fb_curl_allow_http_only(CURL *handle) {
#if LIBCURL_VERSION_NUM >= 0x075500
    return curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
#else
    return curl_easy_setopt(handle, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
}

const char *fb_curl_response_header(CURL *handle, const char *name) {
#if LIBCURL_VERSION_NUM >= 0x075400
    struct curl_header *header = NULL;
    if (curl_easy_header(handle, name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK || header == NULL) return NULL;
    return header->value;
#else
    (void)handle; (void)name;
    return NULL;
#endif
}
