// The server side of SCRAM-SHA-256 (RFC 5802 / RFC 7677), as MongoDB speaks it in
// saslStart/saslContinue. Pure computation over OpenSSL's primitives; no I/O.
#pragma once

#include <optional>
#include <string>

#include "mongomigrate/status.h"

namespace mm::auth {

// What the server keeps per user: never the password.
struct ScramCredentials {
  std::string salt;  // raw bytes
  int iterations = 15000;
  std::string stored_key;  // H(ClientKey)
  std::string server_key;  // HMAC(SaltedPassword, "Server Key")
};

// Derives credentials from a password (ASCII passwords; SASLprep is the identity for them).
ScramCredentials MakeCredentials(const std::string& password, int iterations = 15000);

// One conversation: client-first → server-first, client-final → server-final.
class ScramConversation {
 public:
  // Parses "n,,n=user,r=nonce". Returns the user name, or an error for a malformed message.
  static StatusOr<std::pair<ScramConversation, std::string>> Start(const std::string& client_first);
  // The server-first message for `credentials` (generates the server nonce).
  std::string ServerFirst(const ScramCredentials& credentials);
  // Checks the client's proof; on success returns the server-final message ("v=…").
  // Fails with AuthenticationFailed (18).
  StatusOr<std::string> Finish(const std::string& client_final);

 private:
  std::string client_first_bare_;
  std::string client_nonce_;
  std::string server_first_;
  std::string nonce_;
  ScramCredentials credentials_;
};

std::string Base64Encode(const std::string& bytes);
// The SHA-256 digest of `data` (32 bytes).
std::string Sha256(const std::string& data);
std::optional<std::string> Base64Decode(const std::string& text);

}  // namespace mm::auth
