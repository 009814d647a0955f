/**
 * What every layer says of a configuration it cannot use: {@link io.nasnet.config.ConfigException},
 * whose message names the key. A leaf: each component reads and validates its own keys (its settings
 * record's {@code from}), and {@code search.SearchConfig} gathers them for a run.
 */
package io.nasnet.config;
