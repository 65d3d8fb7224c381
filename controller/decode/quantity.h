#pragma once
// Kubernetes resource quantities ("250m", "1", "1.5", "2Ki", "1e3", "43629237n"), read the way
// apimachinery's resource.ParseQuantity reads them and converted the way Quantity.MilliValue()
// converts them. Pure; any thread.
//
// Grammar (quantity.go): an optional sign, digits with an optional '.' and fraction, then one
// suffix: a decimal SI one (n u m "" k M G T P E), a binary one (Ki Mi Gi Ti Pi Ei) or a decimal
// exponent ("e3", "E-2", "e+6"). apimachinery also accepts the degenerate spellings its scanner
// lets through, and so does this parser: "1.", ".5", "1.G", and a number-less "+", "-", ".",
// "Ki", "m" or "e3", all of which are 0 (but not "Pi", "Ei" or "e-10": ParseQuantity sends
// those down a path that wants a digit). Anything it refuses is refused here too: "", leading
// or trailing spaces, "1.2.3", "1mm", "1ki", "1e", "1e-", "1e3k".
//
// Arithmetic is exact (no floating point): the value is rounded away from zero to a whole
// number of nano-units, as ParseQuantity does, and then up to a whole number of milli-units,
// as MilliValue does ("43629237n" is 44, "0.1m" is 1, "1.5" is 1500).
//
// Where apimachinery has no sensible answer this parser refuses instead:
// - a milli-value outside int64 is an error; MilliValue silently wraps or returns 0 ("1E");
// - an exponent outside int32 is an error; ParseQuantity truncates it to 32 bits;
// - a negative value is rounded towards +infinity ("-1500u" is -1). MilliValue's own rounding
//   of negatives depends on how the quantity happens to be stored ("-1500u" gives -2, while
//   "-3.001n" gives +1); resource usage and requests are never negative.
#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace portico::controller {

Result<int64_t> parse_milli_value(std::string_view text);

}  // namespace portico::controller
