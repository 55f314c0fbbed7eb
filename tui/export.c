/*
 * export.c - "turtle export svg|png FILE": the drawing as a file.
 *
 * The drawing is the server's: export says hello as a watcher (nobody sees
 * it come or go), reads the snapshot into a world and writes it.  SVG is
 * written by hand, one <line> per segment in the world's coordinates; PNG
 * goes through libpng, drawn at a whole number of pixels per world unit
 * with no smoothing, so the same drawing gives the same bytes; text is
 * the braille the client draws at zoom 1 (2 x 4 dots a cell, the whole
 * world: 101 x 51 cells for the default one), without colours.  A file
 * that exists is never overwritten: export creates FILE or fails.
 */
#include "tui.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <png.h>

#define EXPORT_SCALE_DEFAULT 4
#define EXPORT_SCALE_MAX     16

/* The terminal's eight colours, as xterm shows them on black. */
static const unsigned char export_rgb[PROTO_COLOR__COUNT][3] = {
    [PROTO_COLOR_DEFAULT] = {229, 229, 229},
    [PROTO_COLOR_RED] = {205, 0, 0},
    [PROTO_COLOR_GREEN] = {0, 205, 0},
    [PROTO_COLOR_YELLOW] = {205, 205, 0},
    [PROTO_COLOR_BLUE] = {59, 120, 255},
    [PROTO_COLOR_MAGENTA] = {205, 0, 205},
    [PROTO_COLOR_CYAN] = {0, 205, 205},
    [PROTO_COLOR_WHITE] = {255, 255, 255},
};

static int export_svg(FILE *, const struct world *);
static int export_png(FILE *, const struct world *, int);

int
export_args(struct export_args *ea, int argc, char **argv)
{
	int i;

	memset(ea, 0, sizeof *ea);
	ea->scale = EXPORT_SCALE_DEFAULT;
	if (argc < 3) {
		fprintf(stderr, "turtle: usage: turtle export svg|png|txt "
				"FILE [--scale N]\n");
		return -1;
	}
	if (strcmp(argv[1], "svg") == 0)
		ea->format = EXPORT_SVG;
	else if (strcmp(argv[1], "png") == 0)
		ea->format = EXPORT_PNG;
	else if (strcmp(argv[1], "txt") == 0)
		ea->format = EXPORT_TXT;
	else {
		fprintf(stderr, "turtle: export: svg, png or txt, not \"%s\"\n",
		    argv[1]);
		return -1;
	}
	ea->file = argv[2];
	for (i = 3; i < argc; i++) {
		if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc) {
			ea->scale = atoi(argv[++i]);
			if (ea->scale < 1 || ea->scale > EXPORT_SCALE_MAX) {
				fprintf(stderr,
				    "turtle: export: --scale is 1 to %d "
				    "pixels per unit\n",
				    EXPORT_SCALE_MAX);
				return -1;
			}
		} else {
			fprintf(stderr, "turtle: export: unknown \"%s\"\n",
			    argv[i]);
			return -1;
		}
	}
	return 0;
}

static int
export_svg(FILE *f, const struct world *w)
{
	const struct world_seg *s;
	char a[4][PROTO_DECIMAL_LEN];
	size_t i;
	int c;

	fprintf(f,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"%d %d %d %d\" width=\"%d\" height=\"%d\">\n"
	    "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"black\"/>\n"
	    "<g stroke-width=\"0.5\" stroke-linecap=\"round\">\n",
	    -w->half_w - 1, -w->half_h - 1, 2 * w->half_w + 2,
	    2 * w->half_h + 2, 4 * (2 * w->half_w + 2), 4 * (2 * w->half_h + 2),
	    -w->half_w - 1, -w->half_h - 1, 2 * w->half_w + 2,
	    2 * w->half_h + 2);
	/* SVG's y goes down: the world's y is negated. */
	for (i = 0; i < w->trail_len; i++) {
		s = world_seg_at(w, i);
		c = s->color < PROTO_COLOR__COUNT ? s->color : 0;
		proto_decimal_format(a[0], sizeof a[0], s->x0, 4);
		proto_decimal_format(a[1], sizeof a[1], -s->y0, 4);
		proto_decimal_format(a[2], sizeof a[2], s->x1, 4);
		proto_decimal_format(a[3], sizeof a[3], -s->y1, 4);
		fprintf(f,
		    "<line x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\" "
		    "stroke=\"#%02x%02x%02x\"/>\n",
		    a[0], a[1], a[2], a[3], export_rgb[c][0], export_rgb[c][1],
		    export_rgb[c][2]);
	}
	fprintf(f, "</g>\n</svg>\n");
	return ferror(f) ? -1 : 0;
}

/* The pixel a world point falls in, at scale pixels per unit. */
static long
export_px(double v, int half, int scale, int flip)
{
	return lround(((flip ? -v : v) + half) * scale) + scale / 2;
}

static int
export_png(FILE *f, const struct world *w, int scale)
{
	const struct world_seg *s;
	png_structp png;
	png_infop info;
	unsigned char *img, **rows;
	long width = (2L * w->half_w + 1) * scale;
	long height = (2L * w->half_h + 1) * scale;
	long x0, y0, x1, y1, dx, dy, sx, sy, err, e2, r;
	size_t i;
	int c;
	volatile int rc = -1;

	img = calloc((size_t)(width * height), 3);
	rows = calloc((size_t)height, sizeof *rows);
	if (img == NULL || rows == NULL) {
		free(img);
		free(rows);
		return -1;
	}
	for (r = 0; r < height; r++)
		rows[r] = img + (size_t)(r * width * 3);
	/* Bresenham in pixels: exact, the same on every machine. */
	for (i = 0; i < w->trail_len; i++) {
		s = world_seg_at(w, i);
		c = s->color < PROTO_COLOR__COUNT ? s->color : 0;
		x0 = export_px(s->x0, w->half_w, scale, 0);
		y0 = export_px(s->y0, w->half_h, scale, 1);
		x1 = export_px(s->x1, w->half_w, scale, 0);
		y1 = export_px(s->y1, w->half_h, scale, 1);
		dx = labs(x1 - x0);
		dy = -labs(y1 - y0);
		sx = x0 < x1 ? 1 : -1;
		sy = y0 < y1 ? 1 : -1;
		err = dx + dy;
		for (;;) {
			if (x0 >= 0 && x0 < width && y0 >= 0 && y0 < height)
				memcpy(rows[y0] + x0 * 3, export_rgb[c], 3);
			if (x0 == x1 && y0 == y1)
				break;
			e2 = 2 * err;
			if (e2 >= dy) {
				err += dy;
				x0 += sx;
			}
			if (e2 <= dx) {
				err += dx;
				y0 += sy;
			}
		}
	}
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	info = png != NULL ? png_create_info_struct(png) : NULL;
	if (png == NULL || info == NULL)
		goto out;
	if (setjmp(png_jmpbuf(png)))
		goto out;
	png_init_io(png, f);
	png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8,
	    PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* Fixed choices: the same drawing, the same bytes. */
	png_set_compression_level(png, 9);
	png_set_filter(png, 0, PNG_FILTER_NONE);
	png_write_info(png, info);
	png_write_image(png, rows);
	png_write_end(png, NULL);
	rc = 0;
out:
	png_destroy_write_struct(&png, &info);
	free(rows);
	free(img);
	return rc;
}

/* The whole world in braille at zoom 1, a line per row of cells. */
static int
export_txt(FILE *f, const struct world *w)
{
	struct braille_view v;
	struct braille_seg seg;
	const struct world_seg *s;
	char ch[4];
	size_t i;
	int x, y, end;

	memset(&v, 0, sizeof v);
	v.w = w->half_w + 1; /* 2 * half_w + 1 dots, 2 a cell */
	v.h = (2 * w->half_h + 1 + 3) / 4;
	v.zoom = 1;
	v.left = -w->half_w;
	v.top = w->half_h;
	if ((v.cells = calloc((size_t)v.w * (size_t)v.h, sizeof *v.cells)) ==
	    NULL)
		return -1;
	braille_clear(&v);
	for (i = 0; i < w->trail_len; i++) {
		s = world_seg_at(w, i);
		seg.x0 = s->x0;
		seg.y0 = s->y0;
		seg.x1 = s->x1;
		seg.y1 = s->y1;
		seg.color = s->color;
		seg.mine = 0;
		braille_draw(&v, &seg, 1);
	}
	for (y = 0; y < v.h; y++) {
		/* Trailing blanks go: a line ends with its last dot. */
		for (end = v.w; end > 0 && v.cells[y * v.w + end - 1].dots == 0;
		     end--)
			;
		for (x = 0; x < end; x++) {
			if (v.cells[y * v.w + x].dots == 0)
				fputc(' ', f);
			else {
				braille_utf8(v.cells[y * v.w + x].dots, ch);
				fwrite(ch, 1, 3, f);
			}
		}
		fputc('\n', f);
	}
	free(v.cells);
	return ferror(f) ? -1 : 0;
}

int
export_main(const struct export_args *ea, const struct tui_opts *opts)
{
	struct headless h;
	struct world w;
	FILE *f;
	int fd, rc;

	if (world_init(&w, WORLD_HALF_DEFAULT, WORLD_HALF_DEFAULT,
		WORLD_TRAIL_DEFAULT) != 0) {
		fprintf(stderr, "turtle: out of memory\n");
		return TUI_EXIT_ERROR;
	}
	memset(&h, 0, sizeof h);
	if (headless_connect(&h, opts) != 0) {
		world_free(&w);
		return TUI_EXIT_CONNECT;
	}
	h.watcher = 1;
	h.world = &w;
	if (headless_hello(&h) != 0) {
		close(h.fd);
		world_free(&w);
		return TUI_EXIT_ERROR;
	}
	close(h.fd);
	/* O_EXCL: a file that is there is someone's; it is left alone. */
	fd = open(ea->file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd == -1) {
		fprintf(stderr, "turtle: %s: %s%s\n", ea->file, strerror(errno),
		    errno == EEXIST ? " (turtle never overwrites a file)" : "");
		world_free(&w);
		return TUI_EXIT_ERROR;
	}
	if ((f = fdopen(fd, "w")) == NULL) {
		close(fd);
		unlink(ea->file);
		world_free(&w);
		return TUI_EXIT_ERROR;
	}
	if (ea->format == EXPORT_SVG)
		rc = export_svg(f, &w);
	else if (ea->format == EXPORT_TXT)
		rc = export_txt(f, &w);
	else
		rc = export_png(f, &w, ea->scale);
	if (fclose(f) != 0)
		rc = -1;
	if (rc != 0) {
		fprintf(stderr, "turtle: %s: could not write it\n", ea->file);
		unlink(ea->file);
	} else if (opts->verbose)
		fprintf(stderr, "turtle: %zu segments written to %s\n",
		    w.trail_len, ea->file);
	world_free(&w);
	return rc == 0 ? 0 : TUI_EXIT_ERROR;
}
