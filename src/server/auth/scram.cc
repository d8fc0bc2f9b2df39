#include "server/auth/scram.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <map>

namespace mm::auth {
namespace {

constexpr int kAuthenticationFailed = 18;

std::string Hmac(const std::string& key, const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n));
  return out;
}

// "a=1,b=2" → {a: "1", b: "2"}; values may contain '='.
std::map<char, std::string> Attributes(const std::string& message) {
  std::map<char, std::string> out;
  size_t start = 0;
  while (start <= message.size()) {
    size_t comma = message.find(',', start);
    std::string part =
        message.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (part.size() >= 2 && part[1] == '=') out[part[0]] = part.substr(2);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Status Failed() { return Status(kAuthenticationFailed, "Authentication failed."); }

}  // namespace

std::string Sha256(const std::string& data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<char*>(out), sizeof out);
}

std::string Base64Encode(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::optional<std::string> Base64Decode(const std::string& text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out(3 * text.size() / 4 + 1, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) return std::nullopt;
  size_t len = static_cast<size_t>(n);
  // EVP_DecodeBlock counts padding as zero bytes.
  if (!text.empty() && text.back() == '=') --len;
  if (text.size() >= 2 && text[text.size() - 2] == '=') --len;
  out.resize(len);
  return out;
}

ScramCredentials MakeCredentials(const std::string& password, int iterations) {
  ScramCredentials c;
  c.salt = RandomBytes(28);
  c.iterations = iterations;
  unsigned char salted[SHA256_DIGEST_LENGTH];
  PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                    reinterpret_cast<const unsigned char*>(c.salt.data()),
                    static_cast<int>(c.salt.size()), iterations, EVP_sha256(), sizeof salted,
                    salted);
  std::string salted_password(reinterpret_cast<char*>(salted), sizeof salted);
  c.stored_key = Sha256(Hmac(salted_password, "Client Key"));
  c.server_key = Hmac(salted_password, "Server Key");
  return c;
}

StatusOr<std::pair<ScramConversation, std::string>> ScramConversation::Start(
    const std::string& client_first) {
  // gs2 header: "n,," (no channel binding, no authzid)
  if (client_first.rfind("n,", 0) != 0) return Failed();
  size_t bare_at = client_first.find(',', 2);
  if (bare_at == std::string::npos) return Failed();
  ScramConversation conv;
  conv.client_first_bare_ = client_first.substr(bare_at + 1);
  auto attrs = Attributes(conv.client_first_bare_);
  if (!attrs.count('n') || !attrs.count('r') || attrs['r'].empty()) return Failed();
  conv.client_nonce_ = attrs['r'];
  std::string user = attrs['n'];
  // SCRAM escapes ',' and '=' in names.
  for (auto [from, to] : {std::pair<std::string, std::string>{"=2C", ","}, {"=3D", "="}}) {
    for (size_t p = user.find(from); p != std::string::npos; p = user.find(from, p))
      user.replace(p, 3, to);
  }
  return std::make_pair(std::move(conv), user);
}

std::string ScramConversation::ServerFirst(const ScramCredentials& credentials) {
  credentials_ = credentials;
  nonce_ = client_nonce_ + Base64Encode(RandomBytes(24));
  server_first_ = "r=" + nonce_ + ",s=" + Base64Encode(credentials.salt) +
                  ",i=" + std::to_string(credentials.iterations);
  return server_first_;
}

StatusOr<std::string> ScramConversation::Finish(const std::string& client_final) {
  size_t proof_at = client_final.rfind(",p=");
  if (proof_at == std::string::npos) return Failed();
  std::string without_proof = client_final.substr(0, proof_at);
  auto attrs = Attributes(client_final);
  if (attrs['r'] != nonce_ || attrs['c'] != "biws") return Failed();
  auto proof = Base64Decode(attrs['p']);
  if (!proof || proof->size() != credentials_.stored_key.size()) return Failed();
  std::string auth_message = client_first_bare_ + "," + server_first_ + "," + without_proof;
  std::string client_signature = Hmac(credentials_.stored_key, auth_message);
  std::string client_key(proof->size(), '\0');
  for (size_t i = 0; i < client_key.size(); ++i) client_key[i] = (*proof)[i] ^ client_signature[i];
  if (Sha256(client_key) != credentials_.stored_key) return Failed();
  return "v=" + Base64Encode(Hmac(credentials_.server_key, auth_message));
}

}  // namespace mm::auth
