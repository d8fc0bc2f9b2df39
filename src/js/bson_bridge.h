// JavaScript values ↔ BSON bytes, directly (libbson on one side, SpiderMonkey's object API on
// the other), for the commands a migration sends and the replies it reads. Plain objects,
// arrays, strings, numbers and booleans — nearly everything a data migration moves — never
// pass through text; the driver's BSON classes (ObjectId, Long, Binary, …) keep their exact
// types through two functions of prelude.js, so that JavaScript defines them in one place.
#pragma once

#include <bson/bson.h>
#include <jsapi.h>

#include <string>

namespace mm::js {

// What prelude.js gives the bridge once (native.bsonTypes): its encoder for any value that is
// not a plain object, array or primitive (value → the text {"v": <canonical Extended JSON>}), its
// constructor of typed values ((kind, a, b) → ObjectId, Long, …), and ObjectId.prototype
// (the one typed value encoded natively, as a document's _id usually is one).
struct BsonTypes {
  JS::PersistentRootedObject to_extended_json;
  JS::PersistentRootedObject make_typed;
  JS::PersistentRootedObject object_id_prototype;
  explicit BsonTypes(JSContext* cx)
      : to_extended_json(cx), make_typed(cx), object_id_prototype(cx) {}
};

// Encodes the object `value` as a BSON document into `out` (initialised by the caller), as
// the prelude's toExtendedJson + the Extended JSON parser would: an integral number within
// int32 is an Int32, any other number a Double; undefined is null; functions and symbols are
// left out (null in an array). False with a JS exception pending on failure (a key with a NUL
// byte, nesting deeper than MongoDB allows, an Invalid Date).
bool JsToBson(JSContext* cx, const BsonTypes& types, JS::HandleObject value, bson_t* out);
// The same, as the document's bytes.
bool JsToBsonBytes(JSContext* cx, const BsonTypes& types, JS::HandleObject value,
                   std::string* bytes);

// Decodes the BSON document `doc` into a JS object, as JSON.parse with the prelude's reviver
// read canonical Extended JSON: numbers for Int32/Double and for an Int64 that fits exactly,
// a Long beyond, Date, and the typed values from make_typed. False with an exception pending
// on failure.
bool BsonToJs(JSContext* cx, const BsonTypes& types, const bson_t* doc, JS::MutableHandleValue out);

}  // namespace mm::js
