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

/*
 * Logo's 16 colours (UCBLogo's numbers) on the terminal's 8.  Logo's
 * starting pen, 7 (white), is the terminal's default colour, as is black
 * (0), which would not show on a dark terminal.
 */
static const unsigned char proto_color_logo[16] = {
    PROTO_COLOR_DEFAULT, /* 0 black */
    PROTO_COLOR_BLUE,    /* 1 blue */
    PROTO_COLOR_GREEN,   /* 2 green */
    PROTO_COLOR_CYAN,    /* 3 cyan */
    PROTO_COLOR_RED,     /* 4 red */
    PROTO_COLOR_MAGENTA, /* 5 magenta */
    PROTO_COLOR_YELLOW,  /* 6 yellow */
    PROTO_COLOR_DEFAULT, /* 7 white */
    PROTO_COLOR_YELLOW,  /* 8 brown */
    PROTO_COLOR_YELLOW,  /* 9 tan */
    PROTO_COLOR_GREEN,   /* 10 forest */
    PROTO_COLOR_CYAN,    /* 11 aqua */
    PROTO_COLOR_RED,     /* 12 salmon */
    PROTO_COLOR_MAGENTA, /* 13 purple */
    PROTO_COLOR_YELLOW,  /* 14 orange */
    PROTO_COLOR_WHITE,   /* 15 grey */
};

int
proto_color_from_logo(int pc)
{
	if (pc < 0 || pc > 15)
		return PROTO_COLOR_DEFAULT;
	return proto_color_logo[pc];
}

int
proto_color_to_logo(int color)
{
	static const unsigned char to_logo[PROTO_COLOR__COUNT] = {
	    [PROTO_COLOR_DEFAULT] = 7,
	    [PROTO_COLOR_RED] = 4,
	    [PROTO_COLOR_GREEN] = 2,
	    [PROTO_COLOR_YELLOW] = 6,
	    [PROTO_COLOR_BLUE] = 1,
	    [PROTO_COLOR_MAGENTA] = 5,
	    [PROTO_COLOR_CYAN] = 3,
	    [PROTO_COLOR_WHITE] = 15,
	};

	if (color < 0 || color >= PROTO_COLOR__COUNT)
		return 7;
	return to_logo[color];
}
