/* main.c - placeholder entry point until the command-line front end lands. */
#include <stdio.h>

int main(void)
{
	puts("tcplint " TCPLINT_VERSION);
	return 0;
}
