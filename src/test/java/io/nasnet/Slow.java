package io.nasnet;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks a test of the full tier only: one that trains real children for seconds, kills and resumes
 * drivers, or runs a whole study. The fast tier ({@code mvn -B test -DexcludedGroups=slow}) leaves
 * these out so that the edit-test loop stays within about three minutes; the README's test command
 * and CI run them all.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("slow")
public @interface Slow {}
