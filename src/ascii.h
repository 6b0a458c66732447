/*
 * ascii — byte classes that do not depend on the locale (ctype's do, and
 * take an int that must not be a negative char).
 */
#ifndef LOGCAUSE_ASCII_H
#define LOGCAUSE_ASCII_H

/* The value of a hexadecimal digit, or -1. */
static inline int ascii_hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

#endif
