package io.parasol.server.publishing;

import io.parasol.plugin.api.AppManifest;
import io.parasol.plugin.api.ChoiceField;
import io.parasol.plugin.api.Field;
import io.parasol.plugin.api.Section;
import io.parasol.plugin.api.TextField;
import io.parasol.protocol.AppDescriptor;
import io.parasol.server.common.VendorPatterns;
import java.util.ArrayList;
import java.util.List;

/**
 * The size limits of every text in an app's descriptor, checked when a plugin is verified (they are
 * listed in {@code docs/isv-guide.md}): what an engineer's catalog page shows stays small, and what
 * the server stores always fits its columns, so a verification can always be recorded.
 */
final class DescriptorLimits {

  static final int MAX_VERSION = 64;
  static final int MAX_NAME = 120;
  static final int MAX_SUMMARY = 300;
  static final int MAX_DESCRIPTION = 20_000;
  static final int MAX_LICENCE = 10_000;
  static final int MAX_TAGS = 20;
  static final int MAX_TAG = 40;
  static final int MAX_LABEL = 200;
  static final int MAX_HELP = 2_000;
  static final int MAX_OPTIONS = 200;
  static final int MAX_DEFAULT = 10_000;

  /** The stored descriptor as JSON, in characters (the column holds 1,000,000). */
  static final int MAX_DESCRIPTOR_JSON = 500_000;

  /** Each check's message in a stored report, in characters. */
  static final int MAX_CHECK_MESSAGE = 4_000;

  /** How many checks a stored report keeps. */
  static final int MAX_CHECKS = 100;

  private DescriptorLimits() {}

  /** Every limit the descriptor passes, as sentences naming the text and its limit. */
  static List<String> problems(AppDescriptor d, int jsonLength) {
    List<String> problems = new ArrayList<>();
    AppManifest m = d.manifest();
    if (m == null) {
      problems.add("the descriptor has no manifest");
      return problems;
    }
    limit(problems, "the version", m.version(), MAX_VERSION);
    limit(problems, "the app name", m.name(), MAX_NAME);
    limit(problems, "the summary", m.summary(), MAX_SUMMARY);
    limit(problems, "the description", m.description(), MAX_DESCRIPTION);
    limit(problems, "the licence terms", m.licence(), MAX_LICENCE);
    limit(problems, "the vendor name", m.vendor(), MAX_NAME);
    if (m.tags() != null) {
      if (m.tags().size() > MAX_TAGS) {
        problems.add("an app has at most " + MAX_TAGS + " tags, not " + m.tags().size());
      }
      for (String tag : m.tags()) {
        limit(problems, "a tag", tag, MAX_TAG);
      }
    }
    limit(problems, "the plugin version", d.pluginVersion(), MAX_VERSION);
    if (d.form() != null) {
      for (Section section : d.form().sections()) {
        limit(problems, "section " + section.id() + "'s title", section.title(), MAX_LABEL);
        for (Field field : section.fields()) {
          String f = "field " + field.id();
          limit(problems, f + "'s label", field.label(), MAX_LABEL);
          limit(problems, f + "'s help", field.help(), MAX_HELP);
          if (field.defaultValue() instanceof String s) {
            limit(problems, f + "'s default", s, MAX_DEFAULT);
          }
          if (field instanceof TextField text) {
            VendorPatterns.problem(text.pattern())
                .ifPresent(p -> problems.add(f + "'s pattern " + p));
          }
          if (field instanceof ChoiceField choice) {
            if (choice.options().size() > MAX_OPTIONS) {
              problems.add(f + " has more than " + MAX_OPTIONS + " options");
            }
            for (ChoiceField.Option o : choice.options()) {
              limit(problems, f + "'s option label", o.label(), MAX_LABEL);
              limit(problems, f + "'s option value", o.value(), MAX_LABEL);
            }
          }
        }
      }
    }
    if (jsonLength > MAX_DESCRIPTOR_JSON) {
      problems.add(
          "the descriptor (form, sample inputs and texts) is "
              + jsonLength
              + " characters of JSON; the limit is "
              + MAX_DESCRIPTOR_JSON);
    }
    return problems.size() > 20 ? problems.subList(0, 20) : problems;
  }

  private static void limit(List<String> problems, String what, String text, int max) {
    if (text != null && text.length() > max) {
      problems.add(what + " is " + text.length() + " characters; the limit is " + max);
    }
  }
}
