// Conversion between Value trees and BSON bytes / Extended JSON, and RAII for bson_t.
#pragma once

#include <bson/bson.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "mongomigrate/status.h"
#include "mongomigrate/value.h"

namespace mm {

// An owned, heap-allocated bson_t. (Not a unique_ptr: bson_t carries an alignment attribute
// that template arguments drop, which g++ warns about.)
class BsonPtr {
 public:
  explicit BsonPtr(bson_t* b = nullptr) noexcept : b_(b) {}
  ~BsonPtr() {
    if (b_) bson_destroy(b_);
  }
  BsonPtr(BsonPtr&& other) noexcept : b_(std::exchange(other.b_, nullptr)) {}
  BsonPtr& operator=(BsonPtr&& other) noexcept {
    std::swap(b_, other.b_);
    return *this;
  }
  BsonPtr(const BsonPtr&) = delete;
  BsonPtr& operator=(const BsonPtr&) = delete;

  bson_t* get() const noexcept { return b_; }
  bson_t* operator->() const noexcept { return b_; }

 private:
  bson_t* b_;
};

// Encodes `doc` as BSON bytes.
std::string EncodeBson(const Document& doc);
// How many bytes EncodeBson(doc) would be, without encoding it.
size_t BsonSize(const Document& doc);
// MongoDB's BSONObjMaxUserSize: the largest document a user may store, and the most a reply
// batch carries (16 MiB).
constexpr size_t kMaxUserDocumentSize = 16 * 1024 * 1024;
// Encodes `doc` into a new bson_t (for handing to libbson/libmongoc APIs).
BsonPtr ToBsonT(const Document& doc);

// MongoDB's maxBSONDepth: how many documents and arrays may nest below a top-level document.
// Deeper input is refused before anything recurses into it.
constexpr int kMaxBsonDepth = 200;
// How deep a stored document may nest (MongoDB keeps 20 levels for its own wrapping).
constexpr int kMaxStoredDepth = 180;

// Decodes and validates one BSON document occupying exactly `len` bytes.
// Fails with code 22 (InvalidBSON) semantics: a FailedToParse status naming the problem; with
// 15 (Overflow) when it nests deeper than kMaxBsonDepth.
StatusOr<Document> DecodeBson(const uint8_t* data, size_t len);
StatusOr<Document> DecodeBson(const bson_t* b);

// Extended JSON (canonical or relaxed) to a document. Syntax errors name the line and
// column; bad type wrappers name the field path. (extended_json.cc)
StatusOr<Document> ParseExtendedJson(std::string_view json);
// Relaxed Extended JSON, as mongosh prints documents.
std::string ToRelaxedJson(const Document& doc);
// Canonical Extended JSON: every type explicit ({"$numberInt": "1"}), for exact round trips.
std::string ToCanonicalJson(const Document& doc);
std::string ToRelaxedJson(const Value& value);

}  // namespace mm
