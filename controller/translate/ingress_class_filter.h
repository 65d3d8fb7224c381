#pragma once
// Decides whether an Ingress belongs to this controller. Pure; any thread.
#include "controller/model/ingress.h"
#include "controller/store/store_contents.h"
#include "controller/translate/translate_options.h"

namespace portico::controller {

inline constexpr char kLegacyClassAnnotation[] = "kubernetes.io/ingress.class";

// Ours when, in this order of precedence:
//  - spec.ingressClassName is set: it equals options.ingress_class, and no IngressClass of
//    that name names a different controller;
//  - the legacy kubernetes.io/ingress.class annotation is set: it equals
//    options.ingress_class;
//  - neither is set: an IngressClass whose controller is ours is marked the default class.
bool is_our_ingress(const Ingress& ingress, const StoreContents::ByKey<IngressClass>& classes,
                    const TranslateOptions& options);

}  // namespace portico::controller
