/* turtled: placeholder until the server lands. */
#include <stdio.h>

int
main(void)
{
	fputs("turtled: not yet\n", stderr);
	return 1;
}
