package io.parasol.server.storage;

import io.parasol.server.common.ProblemException;
import java.util.regex.Pattern;

/** The rule for names of workspace files and run outputs: no paths, no hidden files, no tricks. */
public final class FileNames {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");

  private FileNames() {}

  /** Whether {@code name} is a plain file name. */
  public static boolean isValid(String name) {
    return name != null && NAME.matcher(name).matches() && !name.contains("..");
  }

  /** Checks a file name, answering 422 with the field when it is not plain. */
  public static String require(String field, String name) {
    if (!isValid(name)) {
      throw ProblemException.invalid(
          field,
          "must be a plain file name: letters, digits, '.', '_' and '-', starting with a letter or"
              + " digit, at most 255 characters, no '/' and no '..'");
    }
    return name;
  }

  /** Whether {@code path} is a relative path of plain names separated by '/' (run outputs). */
  public static boolean isValidRelativePath(String path) {
    if (path == null || path.length() > 255) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (!isValid(segment)) {
        return false;
      }
    }
    return true;
  }
}
