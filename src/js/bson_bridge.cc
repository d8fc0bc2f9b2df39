#include "js/bson_bridge.h"

#include <js/Array.h>
#include <js/BigInt.h>
#include <js/CallAndConstruct.h>
#include <js/CharacterEncoding.h>
#include <js/Date.h>
#include <js/PropertyAndElement.h>
#include <js/String.h>
#include <js/experimental/TypedData.h>
#include <jsfriendapi.h>

#include <cmath>
#include <cstring>
#include <string>

#include "js/state.h"
#include "value/bson_codec.h"

namespace mm::js {
namespace {

// ------------------------------------------------------------------ JS → BSON

class Encoder {
 public:
  Encoder(JSContext* cx, const BsonTypes& types) : cx_(cx), types_(types) {}

  bool Document(JS::HandleObject obj, bson_t* out, int depth) {
    JS::Rooted<JS::IdVector> ids(cx_, JS::IdVector(cx_));
    if (!JS_Enumerate(cx_, obj, &ids)) return false;
    JS::RootedValue v(cx_);
    JS::RootedId id(cx_);
    for (size_t i = 0; i < ids.length(); ++i) {
      id = ids[i];
      std::string key;
      if (!KeyOf(id, &key)) return false;
      if (!JS_GetPropertyById(cx_, obj, id, &v)) return false;
      if (!Append(out, key, v, depth, /*in_array=*/false)) return false;
    }
    return true;
  }

 private:
  bool KeyOf(JS::HandleId id, std::string* key) {
    if (id.isInt()) {
      *key = std::to_string(id.toInt());
      return true;
    }
    if (!id.isString()) return Fail("a property key that is not a string");
    JS::RootedString s(cx_, id.toString());
    JS::RootedValue as_value(cx_, JS::StringValue(s));
    *key = ToUtf8(cx_, as_value);
    if (key->find('\0') != std::string::npos) {
      return Fail("a field name contains a NUL byte, which BSON cannot hold");
    }
    return true;
  }

  bool Fail(const char* what) {
    JS_ReportErrorUTF8(cx_, "cannot encode this value as BSON: %s", what);
    return false;
  }

  bool Append(bson_t* out, const std::string& key, JS::HandleValue v, int depth, bool in_array) {
    const char* k = key.c_str();
    const int len = static_cast<int>(key.size());
    if (v.isNullOrUndefined()) return bson_append_null(out, k, len);
    if (v.isBoolean()) return bson_append_bool(out, k, len, v.toBoolean());
    if (v.isInt32()) return bson_append_int32(out, k, len, v.toInt32());
    if (v.isDouble()) {
      // As the prelude's toExtendedJson (the Node.js driver's serializer): an integral number
      // within int32 (but not -0) is an Int32.
      double d = v.toDouble();
      if (std::trunc(d) == d && d >= -2147483648.0 && d <= 2147483647.0 &&
          !(d == 0 && std::signbit(d))) {
        return bson_append_int32(out, k, len, static_cast<int32_t>(d));
      }
      return bson_append_double(out, k, len, d);
    }
    if (v.isString()) {
      std::string text = ToUtf8(cx_, v);
      return bson_append_utf8(out, k, len, text.data(), static_cast<int>(text.size()));
    }
    if (v.isBigInt()) return bson_append_int64(out, k, len, JS::ToBigInt64(v.toBigInt()));
    if (!v.isObject()) {  // a function is an object; this is a symbol
      return in_array ? bson_append_null(out, k, len) : true;
    }
    if (depth >= kMaxBsonDepth) return Fail("it nests deeper than MongoDB allows (200 levels)");
    JS::RootedObject obj(cx_, &v.toObject());
    if (JS::IsCallable(obj)) return in_array ? bson_append_null(out, k, len) : true;
    bool is_array = false;
    if (!JS::IsArrayObject(cx_, obj, &is_array)) return false;
    if (is_array) {
      uint32_t n = 0;
      if (!JS::GetArrayLength(cx_, obj, &n)) return false;
      bson_t child;
      if (!bson_append_array_begin(out, k, len, &child)) return Fail("the document is too large");
      JS::RootedValue item(cx_);
      for (uint32_t i = 0; i < n; ++i) {
        if (!JS_GetElement(cx_, obj, i, &item)) return false;
        if (!Append(&child, std::to_string(i), item, depth + 1, /*in_array=*/true)) return false;
      }
      return bson_append_array_end(out, &child);
    }
    JS::RootedObject proto(cx_);
    if (!JS_GetPrototype(cx_, obj, &proto)) return false;
    if (!proto || proto == JS::GetRealmObjectPrototype(cx_)) {
      bson_t child;
      if (!bson_append_document_begin(out, k, len, &child)) {
        return Fail("the document is too large");
      }
      if (!Document(obj, &child, depth + 1)) return false;
      return bson_append_document_end(out, &child);
    }
    if (proto == types_.object_id_prototype) {
      JS::RootedValue hex(cx_);
      if (!JS_GetProperty(cx_, obj, "hex", &hex)) return false;
      std::string text = ToUtf8(cx_, hex);
      if (bson_oid_is_valid(text.c_str(), text.size()) && text.size() == 24) {
        bson_oid_t oid;
        bson_oid_init_from_string(&oid, text.c_str());
        return bson_append_oid(out, k, len, &oid);
      }
    }
    bool is_date = false;
    if (!JS::ObjectIsDate(cx_, obj, &is_date)) return false;
    if (is_date) {
      double ms = 0;
      if (!::js::DateGetMsecSinceEpoch(cx_, obj, &ms)) return false;
      if (!std::isnan(ms)) return bson_append_date_time(out, k, len, static_cast<int64_t>(ms));
    }
    return AppendTyped(out, key, v);
  }

  // Any other object (ObjectId, Long, Binary, Map, a class instance, an Invalid Date…): the
  // prelude says what it is as Extended JSON text ({"v": …}), and the parser reads that.
  bool AppendTyped(bson_t* out, const std::string& key, JS::HandleValue v) {
    JS::RootedValue fn(cx_, JS::ObjectValue(*types_.to_extended_json));
    JS::RootedValue text(cx_);
    if (!JS::Call(cx_, JS::UndefinedHandleValue, fn, JS::HandleValueArray(v), &text)) {
      return false;
    }
    auto parsed = ParseExtendedJson(ToUtf8(cx_, text));
    if (!parsed.ok()) {
      JS_ReportErrorUTF8(cx_, "cannot send this value: %s", parsed.status().message().c_str());
      return false;
    }
    Value* inner = parsed->Get("v");
    if (!inner) return true;  // a function or a symbol: left out, as JSON leaves it
    BsonPtr field = ToBsonT(mm::Document{{key, std::move(*inner)}});
    return bson_concat(out, field.get());
  }

  JSContext* cx_;
  const BsonTypes& types_;
};

// ------------------------------------------------------------------ BSON → JS

class Decoder {
 public:
  Decoder(JSContext* cx, const BsonTypes& types) : cx_(cx), types_(types) {}

  bool Document(bson_iter_t* it, JS::MutableHandleValue out, int depth) {
    JS::RootedObject obj(cx_, JS_NewPlainObject(cx_));
    if (!obj) return false;
    JS::RootedValue v(cx_);
    while (bson_iter_next(it)) {
      bool skip = false;
      if (!ValueOf(it, &v, depth, &skip)) return false;
      if (skip) continue;  // $undefined: the reviver removed it too
      uint32_t key_len = bson_iter_key_len(it);
      const char* key = bson_iter_key(it);
      if (IsAscii(key, key_len)) {
        if (!JS_DefineProperty(cx_, obj, key, v, JSPROP_ENUMERATE)) return false;
      } else {
        JS::RootedString name(cx_, FromUtf8(cx_, std::string(key, key_len)));
        JS::RootedId id(cx_);
        if (!name || !JS_StringToId(cx_, name, &id) ||
            !JS_DefinePropertyById(cx_, obj, id, v, JSPROP_ENUMERATE)) {
          return false;
        }
      }
    }
    out.setObject(*obj);
    return true;
  }

 private:
  static bool IsAscii(const char* s, uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) {
      if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
    }
    return true;
  }

  bool Array(bson_iter_t* it, JS::MutableHandleValue out, int depth) {
    JS::RootedValueVector items(cx_);
    JS::RootedValue v(cx_);
    while (bson_iter_next(it)) {
      bool skip = false;
      if (!ValueOf(it, &v, depth, &skip)) return false;
      if (!items.append(skip ? JS::UndefinedValue() : v.get())) return false;
    }
    JSObject* array = JS::NewArrayObject(cx_, items);
    if (!array) return false;
    out.setObject(*array);
    return true;
  }

  bool String(const char* data, uint32_t len, JS::MutableHandleValue out) {
    JSString* s = FromUtf8(cx_, std::string(data, len));
    if (!s) return false;
    out.setString(s);
    return true;
  }

  // makeTyped(kind, a, b) of the prelude.
  bool Typed(const char* kind, JS::HandleValue a, JS::HandleValue b, JS::MutableHandleValue out) {
    JS::RootedValueArray<3> args(cx_);
    JSString* k = JS_NewStringCopyZ(cx_, kind);
    if (!k) return false;
    args[0].setString(k);
    args[1].set(a);
    args[2].set(b);
    JS::RootedValue fn(cx_, JS::ObjectValue(*types_.make_typed));
    return JS::Call(cx_, JS::UndefinedHandleValue, fn, args, out);
  }
  bool TypedText(const char* kind, const std::string& a, JS::MutableHandleValue out) {
    JS::RootedValue text(cx_);
    if (!String(a.data(), static_cast<uint32_t>(a.size()), &text)) return false;
    return Typed(kind, text, JS::UndefinedHandleValue, out);
  }

  bool ValueOf(bson_iter_t* it, JS::MutableHandleValue out, int depth, bool* skip) {
    switch (bson_iter_type(it)) {
      case BSON_TYPE_DOUBLE:
        out.setDouble(bson_iter_double(it));
        return true;
      case BSON_TYPE_INT32:
        out.setInt32(bson_iter_int32(it));
        return true;
      case BSON_TYPE_INT64: {
        int64_t n = bson_iter_int64(it);
        constexpr int64_t kSafe = (int64_t{1} << 53) - 1;
        if (n >= -kSafe && n <= kSafe) {
          out.setNumber(static_cast<double>(n));
          return true;
        }
        return TypedText("long", std::to_string(n), out);
      }
      case BSON_TYPE_UTF8: {
        uint32_t len = 0;
        const char* s = bson_iter_utf8(it, &len);
        return String(s, len, out);
      }
      case BSON_TYPE_SYMBOL: {
        uint32_t len = 0;
        const char* s = bson_iter_symbol(it, &len);
        return String(s, len, out);
      }
      case BSON_TYPE_CODE: {
        uint32_t len = 0;
        const char* s = bson_iter_code(it, &len);
        return String(s, len, out);
      }
      case BSON_TYPE_CODEWSCOPE: {
        uint32_t len = 0, scope_len = 0;
        const uint8_t* scope = nullptr;
        const char* s = bson_iter_codewscope(it, &len, &scope_len, &scope);
        return String(s, len, out);
      }
      case BSON_TYPE_BOOL:
        out.setBoolean(bson_iter_bool(it));
        return true;
      case BSON_TYPE_NULL:
        out.setNull();
        return true;
      case BSON_TYPE_UNDEFINED:
        out.setUndefined();
        *skip = true;
        return true;
      case BSON_TYPE_DOCUMENT:
      case BSON_TYPE_ARRAY: {
        if (depth >= kMaxBsonDepth) {
          JS_ReportErrorUTF8(cx_, "the reply nests deeper than MongoDB allows (200 levels)");
          return false;
        }
        bson_iter_t child;
        if (!bson_iter_recurse(it, &child)) {
          JS_ReportErrorUTF8(cx_, "the reply is not valid BSON");
          return false;
        }
        return bson_iter_type(it) == BSON_TYPE_ARRAY ? Array(&child, out, depth + 1)
                                                     : Document(&child, out, depth + 1);
      }
      case BSON_TYPE_OID: {
        char hex[25];
        bson_oid_to_string(bson_iter_oid(it), hex);
        return TypedText("oid", hex, out);
      }
      case BSON_TYPE_DATE_TIME: {
        JSObject* date =
            JS::NewDateObject(cx_, JS::TimeClip(static_cast<double>(bson_iter_date_time(it))));
        if (!date) return false;
        out.setObject(*date);
        return true;
      }
      case BSON_TYPE_DECIMAL128: {
        bson_decimal128_t d;
        bson_iter_decimal128(it, &d);
        char text[BSON_DECIMAL128_STRING];
        bson_decimal128_to_string(&d, text);
        return TypedText("decimal", text, out);
      }
      case BSON_TYPE_TIMESTAMP: {
        uint32_t t = 0, i = 0;
        bson_iter_timestamp(it, &t, &i);
        JS::RootedValue tv(cx_, JS::NumberValue(t)), iv(cx_, JS::NumberValue(i));
        return Typed("timestamp", tv, iv, out);
      }
      case BSON_TYPE_BINARY: {
        bson_subtype_t subtype;
        uint32_t len = 0;
        const uint8_t* data = nullptr;
        bson_iter_binary(it, &subtype, &len, &data);
        JS::RootedObject bytes(cx_, JS_NewUint8Array(cx_, len));
        if (!bytes) return false;
        {
          JS::AutoCheckCannotGC nogc;
          bool shared = false;
          if (len > 0) std::memcpy(JS_GetUint8ArrayData(bytes, &shared, nogc), data, len);
        }
        JS::RootedValue a(cx_, JS::ObjectValue(*bytes));
        JS::RootedValue b(cx_, JS::Int32Value(static_cast<int32_t>(subtype)));
        return Typed("binary", a, b, out);
      }
      case BSON_TYPE_REGEX: {
        const char* options = nullptr;
        const char* pattern = bson_iter_regex(it, &options);
        JS::RootedValue a(cx_), b(cx_);
        if (!String(pattern, static_cast<uint32_t>(std::strlen(pattern)), &a) ||
            !String(options, static_cast<uint32_t>(std::strlen(options)), &b)) {
          return false;
        }
        return Typed("regex", a, b, out);
      }
      case BSON_TYPE_MINKEY:
        return Typed("minKey", JS::UndefinedHandleValue, JS::UndefinedHandleValue, out);
      case BSON_TYPE_MAXKEY:
        return Typed("maxKey", JS::UndefinedHandleValue, JS::UndefinedHandleValue, out);
      default:  // DBPointer, and types no server sends
        JS_ReportErrorUTF8(cx_,
                           "the reply holds a BSON type (0x%02x) the migration API cannot "
                           "represent",
                           static_cast<int>(bson_iter_type(it)));
        return false;
    }
  }

  JSContext* cx_;
  const BsonTypes& types_;
};

}  // namespace

bool JsToBson(JSContext* cx, const BsonTypes& types, JS::HandleObject value, bson_t* out) {
  return Encoder(cx, types).Document(value, out, 0);
}

bool JsToBsonBytes(JSContext* cx, const BsonTypes& types, JS::HandleObject value,
                   std::string* bytes) {
  bson_t doc = BSON_INITIALIZER;
  const bool ok = JsToBson(cx, types, value, &doc);
  if (ok) bytes->assign(reinterpret_cast<const char*>(bson_get_data(&doc)), doc.len);
  bson_destroy(&doc);
  return ok;
}

bool BsonToJs(JSContext* cx, const BsonTypes& types, const bson_t* doc,
              JS::MutableHandleValue out) {
  bson_iter_t it;
  if (!bson_iter_init(&it, doc)) {
    JS_ReportErrorUTF8(cx, "the reply is not valid BSON");
    return false;
  }
  return Decoder(cx, types).Document(&it, out, 0);
}

}  // namespace mm::js
