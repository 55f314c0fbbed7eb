/* turtle: placeholder until the client lands. */
#include <stdio.h>

int
main(void)
{
	fputs("turtle: not yet\n", stderr);
	return 1;
}
