# Numbers, strings and JSON exactly as the JavaScript version of ward-stats (ward-stats-node) reads
# and writes them, so both produce byte-identical ward-stats.json: JavaScript's trim, Number(text),
# Math.round, String(number), JSON.parse and JSON.stringify(value, null, 2). Standard library only.
import json
import math
import re
from decimal import Decimal

# String.prototype.trim removes WhiteSpace and LineTerminator code points, the BOM included.
_JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_PREFIXED = re.compile(r"0([xXoObB])([0-9a-fA-F]+)")
_BASES = {"x": 16, "o": 8, "b": 2}
_SAFE_INTEGER = 2**53


def js_trim(text):
    return text.strip(_JS_WHITESPACE)


def js_trim_start(text):
    return text.lstrip(_JS_WHITESPACE)


def utf16_order(text):
    """Sort key of Array.prototype.sort: UTF-16 code units."""
    return text.encode("utf-16-be", errors="surrogatepass")


def js_number(text):
    """Number(text) for text already trimmed: decimal, 0x/0o/0b integers, Infinity; else NaN."""
    if text in ("Infinity", "+Infinity"):
        return math.inf
    if text == "-Infinity":
        return -math.inf
    if _DECIMAL.fullmatch(text):
        return float(text)
    prefixed = _PREFIXED.fullmatch(text)
    if prefixed:
        try:
            return float(int(prefixed.group(2), _BASES[prefixed.group(1).lower()]))
        except ValueError:
            return math.nan
    return math.nan


def js_string(value):
    """String(value) for the JSON values a reading may hold."""
    if isinstance(value, str):
        return value
    if value is True or value is False:
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return js_number_text(value)
    if isinstance(value, list):
        return ",".join("" if item is None else js_string(item) for item in value)
    return "[object Object]"


def js_round(value, digits):
    """Math.round(value * 10 ** digits) / 10 ** digits: halves round towards +Infinity."""
    factor = 10**digits
    scaled = value * factor
    whole = math.floor(scaled)
    if scaled - whole >= 0.5:
        whole += 1
    return whole / factor


def js_number_text(value):
    """Number.prototype.toString(): the shortest digits, laid out as JavaScript does."""
    if isinstance(value, int) and abs(value) < _SAFE_INTEGER:
        return str(value)
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    _, digit_tuple, exponent = Decimal(repr(abs(value))).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent += len(digit_tuple) - len(digits)
    k = len(digits)
    n = k + exponent
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def _reject_constant(name):
    raise ValueError(f"{name} is not JSON")


def _js_integer(text):
    number = int(text)
    return number if abs(number) < _SAFE_INTEGER else float(number)


def parse_json(text):
    """JSON.parse: no NaN or Infinity literals, integers beyond 2^53 become doubles."""
    return json.loads(text, parse_constant=_reject_constant, parse_int=_js_integer)


def to_json(value, indent=""):
    """JSON.stringify(value, null, 2)."""
    inner = indent + "  "
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return js_number_text(value) if math.isfinite(value) else "null"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + to_json(item, inner) for item in value) + "\n" + indent + "]"
    if not value:
        return "{}"
    members = (inner + json.dumps(key, ensure_ascii=False) + ": " + to_json(item, inner) for key, item in value.items())
    return "{\n" + ",\n".join(members) + "\n" + indent + "}"
