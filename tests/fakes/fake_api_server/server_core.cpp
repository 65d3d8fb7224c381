#include "tests/fakes/fake_api_server/server_core.h"

#include <boost/asio/buffer.hpp>

namespace portico::testing {

ServerCore::ServerCore(FakeApiServerOptions server_options)
    : options(std::move(server_options)),
      served_group_versions{"/api/v1", "/apis/networking.k8s.io/v1", "/apis/discovery.k8s.io/v1",
                            "/apis/coordination.k8s.io/v1", "/apis/apps/v1"} {
  if (options.certificate_pem.empty() || options.private_key_pem.empty()) return;
  namespace ssl = boost::asio::ssl;
  tls = std::make_unique<ssl::context>(ssl::context::tls_server);
  tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                   ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  tls->use_certificate_chain(boost::asio::buffer(options.certificate_pem));
  tls->use_private_key(boost::asio::buffer(options.private_key_pem), ssl::context::pem);
  if (!options.client_ca_pem.empty()) {
    tls->add_certificate_authority(boost::asio::buffer(options.client_ca_pem));
    tls->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  }
}

ObjectRef ServerCore::write(const std::string& resource, web::json::value object) {
  const StoreEvent& event = store.put(resource, std::move(object));
  watches.publish(event);
  return event.object;
}

ObjectRef ServerCore::remove(const std::string& resource, const std::string& namespace_,
                             const std::string& name) {
  const StoreEvent* event = store.erase(resource, namespace_, name);
  if (event == nullptr) return nullptr;
  watches.publish(*event);
  return event->object;
}

}  // namespace portico::testing
