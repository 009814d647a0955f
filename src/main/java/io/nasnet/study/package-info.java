/**
 * Studies of the search itself, built on {@code search} and read back from {@code history}: do the
 * strategies beat random search at equal budget over several seeds ({@link io.nasnet.study.StrategyStudy}),
 * and does the cheap proxy reward rank architectures as a longer training does
 * ({@link io.nasnet.study.ProxyFidelity}). Both are resumable and leave their figures, charts and
 * tables in one folder.
 */
package io.nasnet.study;
