// mongo-ping URI: connects through the official C driver and runs `ping`, printing the reply
// and the round trip. The README's main job until mongo-migrate exists.
#include <mongoc/mongoc.h>

#include <chrono>
#include <cstdio>
#include <string>

#include "value/bson_codec.h"

namespace {

// The URI with any password replaced, so it can be printed.
std::string Redacted(const std::string& uri) {
  size_t scheme = uri.find("://");
  size_t at = uri.find('@');
  if (scheme == std::string::npos || at == std::string::npos) return uri;
  size_t colon = uri.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return uri;
  return uri.substr(0, colon + 1) + "****" + uri.substr(at);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: mongo-ping MONGODB_URI\n");
    return 2;
  }
  mongoc_init();
  bson_error_t error;
  mongoc_uri_t* uri = mongoc_uri_new_with_error(argv[1], &error);
  if (!uri) {
    std::fprintf(stderr, "mongo-ping: invalid URI %s: %s\n", Redacted(argv[1]).c_str(),
                 error.message);
    return 2;
  }
  mongoc_client_t* client = mongoc_client_new_from_uri(uri);
  mm::BsonPtr ping = mm::ToBsonT(mm::Document{{"ping", 1}});
  bson_t reply;
  auto start = std::chrono::steady_clock::now();
  bool ok = mongoc_client_command_simple(client, "admin", ping.get(), nullptr, &reply, &error);
  auto elapsed =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  int rc = 0;
  if (ok) {
    auto doc = mm::DecodeBson(&reply);
    std::printf("ping %s: %s (%.2f ms including connect and handshake)\n",
                Redacted(argv[1]).c_str(), doc.ok() ? mm::ToRelaxedJson(*doc).c_str() : "?",
                elapsed.count());
  } else {
    std::fprintf(stderr, "mongo-ping: %s: %s\n", Redacted(argv[1]).c_str(), error.message);
    rc = 1;
  }
  bson_destroy(&reply);
  mongoc_client_destroy(client);
  mongoc_uri_destroy(uri);
  mongoc_cleanup();
  return rc;
}
