#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU, and its encoding.h then includes the system's
// <unicode/ucnv.h>, whose UErrorCode clashes with Foundation's own ICU (_FoundationICU) in any
// Swift file that sees both ("'UErrorCode' has different definitions in different modules").
// Mayak uses none of libxml2's ICU converter fields, so the headers are read without them.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
