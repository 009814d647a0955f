/**
 * Typed configuration: HOCON files (Typesafe Config) over the documented defaults in
 * {@code reference.conf}, validated before any work starts, with errors that name the key.
 */
package io.nasnet.config;
