/* Version of k8snet-top (set by CMake). */
#ifndef K8SNET_VERSION_H
#define K8SNET_VERSION_H

#ifndef KN_VERSION
#define KN_VERSION "0.1.0"
#endif

#endif
