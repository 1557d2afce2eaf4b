package dev.quarkchat.engine;

import java.util.List;

/**
 * Who was in a room at one instant: how many users, on any instance, and the first of their names
 * (all of them when asked for {@link Presence#ALL_NAMES}).
 */
public record Members(List<String> names, int count) {}
