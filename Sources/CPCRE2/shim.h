// PCRE2 from Debian's libpcre2-dev, 8-bit code units (UTF-8).
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
