/*
 * color.c - the pen colours: the 8 ANSI colours every terminal has, so
 * every client can show every trail.
 */
#include <string.h>

#include "proto.h"

static const char *const proto_color_names[PROTO_COLOR__COUNT] = {
    [PROTO_COLOR_DEFAULT] = "default",
    [PROTO_COLOR_RED] = "red",
    [PROTO_COLOR_GREEN] = "green",
    [PROTO_COLOR_YELLOW] = "yellow",
    [PROTO_COLOR_BLUE] = "blue",
    [PROTO_COLOR_MAGENTA] = "magenta",
    [PROTO_COLOR_CYAN] = "cyan",
    [PROTO_COLOR_WHITE] = "white",
};

/* Out of range is shown as the default rather than crash a printf. */
const char *
proto_color_name(int color)
{
	if (color < 0 || color >= PROTO_COLOR__COUNT)
		return proto_color_names[PROTO_COLOR_DEFAULT];
	return proto_color_names[color];
}

/* Exact lower-case names only: the wire spelling is the one spelling. */
int
proto_color_from_name(const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < PROTO_COLOR__COUNT; i++) {
		if (strcmp(proto_color_names[i], name) == 0)
			return i;
	}
	return -1;
}
