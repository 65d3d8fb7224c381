#pragma once
// Which of our Ingresses need their status.loadBalancer.ingress rewritten. Pure; any thread.
#include <string>
#include <vector>

#include "controller/model/load_balancer_status.h"
#include "controller/store/store_contents.h"
#include "controller/translate/translate_options.h"

namespace portico::controller::status {

struct IngressStatusUpdate {
  std::string namespace_;
  std::string name;
  LoadBalancerStatus addresses;

  bool operator==(const IngressStatusUpdate&) const = default;
};

// One update per Ingress that is ours (is_our_ingress) and whose status, compared as a set,
// differs from `target`; in store key order. Other controllers' Ingresses are never touched.
std::vector<IngressStatusUpdate> status_updates(const StoreContents& contents,
                                                const TranslateOptions& options,
                                                const LoadBalancerStatus& target);

}  // namespace portico::controller::status
