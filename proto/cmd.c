/*
 * cmd.c - the one table of client commands.  The parser, the help reply
 * and PROTOCOL.md all follow it (a unit test checks the document), so
 * they cannot drift apart.
 */
#include <string.h>

#include "proto.h"

#define MOVE PROTO_CMDF_MOVE
#define LOG  PROTO_CMDF_LOG

static const struct proto_cmd_info proto_cmds[] = {
    {PROTO_CMD_HELLO, "hello",
	"VERSION [NAME] [token=SECRET] [admin=SECRET] [role=user|watcher]",
	"start a v1 session (VERSION is 1), optionally with a name", 0},
    {PROTO_CMD_RUN, "run", "DX DY",
	"move the turtle by DX cells right and DY cells up", MOVE | LOG},
    {PROTO_CMD_SAY, "say", "TEXT", "say TEXT to everyone", LOG},
    {PROTO_CMD_GETCID, "getcid", "", "show your client id", 0},
    {PROTO_CMD_WHO, "who", "", "list the connected clients", 0},
    {PROTO_CMD_WHERE, "where", "",
	"show the turtle's position, heading, pen and colour", 0},
    {PROTO_CMD_PEN, "pen", "up|down",
	"lift the pen (moves draw nothing) or put it down", MOVE | LOG},
    {PROTO_CMD_COLOR, "color", "COLOR",
	"pen colour: default red green yellow blue magenta cyan white",
	MOVE | LOG},
    {PROTO_CMD_HOME, "home", "", "jump back to 0,0 without drawing",
	MOVE | LOG},
    {PROTO_CMD_CLEAR, "clear", "", "erase the whole trail", MOVE | LOG},
    {PROTO_CMD_NAME, "name", "NAME",
	"change your name (1-32 of A-Z a-z 0-9 _ . -)", LOG},
    {PROTO_CMD_PASS, "pass", "",
	"give the turtle to the next in line (turns mode)", LOG},
    {PROTO_CMD_STATS, "stats", "", "show server counters", 0},
    {PROTO_CMD_HELP, "help", "", "list the commands", 0},
    {PROTO_CMD_QUIT, "quit", "", "close the session", 0},
    {PROTO_CMD_EXIT, "_exit", "", "stop the server (administrators only)", 0},
};

#define PROTO_NCMDS (sizeof proto_cmds / sizeof proto_cmds[0])

_Static_assert(PROTO_NCMDS == PROTO_CMD__COUNT,
    "every command type has exactly one table entry");

const struct proto_cmd_info *
proto_cmd_table(size_t *count)
{
	if (count != NULL)
		*count = PROTO_NCMDS;
	return proto_cmds;
}

const struct proto_cmd_info *
proto_cmd_info(enum proto_cmd_type type)
{
	size_t i;

	for (i = 0; i < PROTO_NCMDS; i++) {
		if (proto_cmds[i].type == type)
			return &proto_cmds[i];
	}
	return NULL;
}

const struct proto_cmd_info *
proto_cmd_lookup(const char *name, size_t len)
{
	size_t i;

	if (name == NULL)
		return NULL;
	for (i = 0; i < PROTO_NCMDS; i++) {
		if (strlen(proto_cmds[i].name) == len &&
		    memcmp(proto_cmds[i].name, name, len) == 0)
			return &proto_cmds[i];
	}
	return NULL;
}
