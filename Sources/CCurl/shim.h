// Typed wrappers over libcurl's variadic calls, which Swift cannot call directly.
// Each wrapper fixes the type of the third argument, as libcurl's documentation requires
// for the option it is used with (long, pointer, off_t or callback).
#ifndef ORGBATCH_CCURL_SHIM_H
#define ORGBATCH_CCURL_SHIM_H

#include <curl/curl.h>

static inline CURLcode orgbatch_curl_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode orgbatch_curl_setopt_ptr(CURL *handle, CURLoption option, const void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode orgbatch_curl_setopt_off(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

typedef size_t (*orgbatch_curl_data_callback)(char *data, size_t size, size_t count, void *userdata);

static inline CURLcode orgbatch_curl_setopt_data_callback(CURL *handle, CURLoption option,
                                                          orgbatch_curl_data_callback callback) {
    return curl_easy_setopt(handle, option, callback);
}

static inline CURLcode orgbatch_curl_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode orgbatch_curl_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}

static inline CURLcode orgbatch_curl_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

/// `CURL_GLOBAL_ALL` is a macro expression Swift does not import.
static inline CURLcode orgbatch_curl_global_init(void) {
    return curl_global_init(CURL_GLOBAL_ALL);
}

#endif
