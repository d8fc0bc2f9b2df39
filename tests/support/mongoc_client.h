// A minimal RAII libmongoc client for tests that drive devmongod over a real socket.
// (The tool's own wrapper lives in src/mongo/; tests keep their own so they test the server,
// not our wrapper.)
#pragma once

#include <mongoc/mongoc.h>

#include <string>

#include "value/bson_codec.h"

namespace mm::testing {

class MongocClient {
 public:
  explicit MongocClient(const std::string& uri) {
    mongoc_init();
    client_ = mongoc_client_new(uri.c_str());
  }
  ~MongocClient() {
    if (client_) mongoc_client_destroy(client_);
  }
  MongocClient(const MongocClient&) = delete;
  MongocClient& operator=(const MongocClient&) = delete;

  // Runs `command` on `db`; returns the reply (the error reply when the server refused it)
  // and sets `*ok` and `*code`.
  Document Command(const std::string& db, const Document& command, bool* ok = nullptr,
                   int* code = nullptr) {
    BsonPtr cmd = ToBsonT(command);
    bson_t reply;
    bson_error_t error;
    bool success =
        mongoc_client_command_simple(client_, db.c_str(), cmd.get(), nullptr, &reply, &error);
    if (ok) *ok = success;
    if (code) *code = success ? 0 : static_cast<int>(error.code);
    auto doc = DecodeBson(&reply);
    bson_destroy(&reply);
    return doc.ok() ? *doc : Document{};
  }

  mongoc_client_t* get() { return client_; }

 private:
  mongoc_client_t* client_ = nullptr;
};

}  // namespace mm::testing
