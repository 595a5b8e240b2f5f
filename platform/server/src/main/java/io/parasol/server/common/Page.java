package io.parasol.server.common;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items the items on this page
 * @param page the page number, from 0
 * @param size the page size asked for
 * @param total how many items there are in all
 */
public record Page<T>(List<T> items, int page, int size, long total) {

  public static final int MAX_SIZE = 200;

  /** Checks page parameters, answering 422 when they are out of range. */
  public static void check(int page, int size) {
    if (page < 0) {
      throw ProblemException.invalid("page", "must be 0 or more");
    }
    if (size < 1 || size > MAX_SIZE) {
      throw ProblemException.invalid("size", "must be between 1 and " + MAX_SIZE);
    }
  }

  /** Pages an in-memory list. */
  public static <T> Page<T> of(List<T> all, int page, int size) {
    check(page, size);
    int from = (int) Math.min((long) page * size, all.size());
    int to = Math.min(from + size, all.size());
    return new Page<>(all.subList(from, to), page, size, all.size());
  }
}
