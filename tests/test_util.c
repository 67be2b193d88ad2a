/* Value types: NHS numbers, money, dates, text. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

Test(nhs, accepts_valid_numbers_with_or_without_spaces)
{
	char out[11];
	cr_expect_eq(nhs_normalise("9434765919", out, NULL), BR_OK);
	cr_expect_str_eq(out, "9434765919");
	cr_expect_eq(nhs_normalise("943 476 5919", out, NULL), BR_OK);
	cr_expect_str_eq(out, "9434765919");
	cr_expect(nhs_valid("9990000018"));
	cr_expect(nhs_valid("999 000 0050"));
}

Test(nhs, refuses_a_bad_check_digit_and_says_so)
{
	char out[11], *why = NULL;
	cr_expect_eq(nhs_normalise("9434765918", out, &why), BR_DATA);
	cr_expect_not_null(strstr(why, "check digit"), "%s", why);
	br_free_str(&why);
	cr_expect_not(nhs_valid("9990000017"));
}

Test(nhs, check_digit_ten_is_never_valid)
{
	/* 999000000: the sum gives check 10, so no tenth digit makes it valid */
	cr_expect_eq(nhs_check_digit("999000000"), -1);
	for (char d = '0'; d <= '9'; d++) {
		char n[11] = "999000000";
		n[9] = d;
		n[10] = '\0';
		cr_expect_not(nhs_valid(n), "%s", n);
	}
}

/* Issue 27, finding 9: ten of one digit pass the modulus 11 check (the sum
 * is 54 times the digit, so the check digit is the digit) but are never
 * issued. */
Test(nhs, ten_of_the_same_digit_is_never_an_nhs_number)
{
	for (char d = '0'; d <= '9'; d++) {
		char n[11], out[11], *why = NULL;
		memset(n, d, 10);
		n[10] = '\0';
		cr_expect_not(nhs_valid(n), "%s", n);
		cr_expect_eq(nhs_normalise(n, out, &why), BR_DATA, "%s", n);
		cr_expect(why && strstr(why, "never issued"), "%s: %s", n, why ? why : "accepted");
		br_free_str(&why);
	}
	cr_expect_not(nhs_valid("111 111 1111"), "spaces change nothing");
	cr_expect(nhs_valid("1111111138"), "one digit apart, with its check digit, is a number");
	cr_expect(nhs_valid("9999999980"));
}

Test(nhs, check_digit_eleven_becomes_zero)
{
	cr_expect_eq(nhs_check_digit("999000005"), 0);
	cr_expect(nhs_valid("9990000050"));
}

Test(nhs, refuses_wrong_lengths_and_letters)
{
	char out[11], *why = NULL;
	cr_expect_eq(nhs_normalise("943476591", out, &why), BR_DATA);
	cr_expect_not_null(strstr(why, "9 digits"), "%s", why);
	cr_expect_eq(nhs_normalise("94347659190", out, &why), BR_DATA);
	cr_expect_eq(nhs_normalise("94347659A9", out, &why), BR_DATA);
	cr_expect_eq(nhs_normalise("", out, &why), BR_DATA);
	br_free_str(&why);
}

Test(nhs, formats_in_three_groups)
{
	char out[13];
	nhs_format("9434765919", out);
	cr_expect_str_eq(out, "943 476 5919");
}

Test(money, formats_pounds_with_thousands)
{
	char out[32];
	money_format(0, out, sizeof out);
	cr_expect_str_eq(out, "£0.00");
	money_format(1560, out, sizeof out);
	cr_expect_str_eq(out, "£15.60");
	money_format(123456789, out, sizeof out);
	cr_expect_str_eq(out, "£1,234,567.89");
	money_format(-5, out, sizeof out);
	cr_expect_str_eq(out, "-£0.05");
	money_format(100000, out, sizeof out);
	cr_expect_str_eq(out, "£1,000.00");
}

Test(money, parses_what_people_type)
{
	int64_t p;
	cr_expect_eq(money_parse("£1,234.56", &p, NULL), BR_OK);
	cr_expect_eq(p, 123456);
	cr_expect_eq(money_parse("15.6", &p, NULL), BR_OK);
	cr_expect_eq(p, 1560);
	cr_expect_eq(money_parse("20", &p, NULL), BR_OK);
	cr_expect_eq(p, 2000);
	cr_expect_eq(money_parse(" .5 ", &p, NULL), BR_OK);
	cr_expect_eq(p, 50);
}

Test(money, refuses_junk)
{
	int64_t p = 77;
	cr_expect_eq(money_parse("12.345", &p, NULL), BR_DATA);
	cr_expect_eq(money_parse("twelve", &p, NULL), BR_DATA);
	cr_expect_eq(money_parse("12.3.4", &p, NULL), BR_DATA);
	cr_expect_eq(money_parse("", &p, NULL), BR_DATA);
	cr_expect_eq(money_parse("£", &p, NULL), BR_DATA);
	cr_expect_eq(money_parse("9999999999", &p, NULL), BR_DATA);
	cr_expect_eq(p, 77, "nothing written on refusal");
}

Test(date, round_trips_and_knows_leap_years)
{
	int64_t d;
	char out[11];
	cr_expect_eq(date_parse("2024-02-29", &d, NULL), BR_OK);
	date_format(d, out);
	cr_expect_str_eq(out, "2024-02-29");
	cr_expect_eq(date_parse("1970-01-01", &d, NULL), BR_OK);
	cr_expect_eq(d, 0);
	cr_expect_eq(date_parse("2000-02-29", &d, NULL), BR_OK);
}

Test(date, refuses_impossible_dates)
{
	int64_t d;
	char *why = NULL;
	cr_expect_eq(date_parse("2026-02-29", &d, &why), BR_DATA);
	cr_expect_not_null(strstr(why, "2026-02-29"));
	cr_expect_eq(date_parse("1900-02-29", &d, NULL), BR_DATA);
	cr_expect_eq(date_parse("2026-13-01", &d, NULL), BR_DATA);
	cr_expect_eq(date_parse("2026-04-31", &d, NULL), BR_DATA);
	cr_expect_eq(date_parse("26-04-01", &d, NULL), BR_DATA);
	cr_expect_eq(date_parse("2026/04/01", &d, NULL), BR_DATA);
	cr_expect_eq(date_parse("2026-04-01x", &d, NULL), BR_DATA);
	cr_expect_eq(date_parse(NULL, &d, NULL), BR_DATA);
	br_free_str(&why);
}

Test(date, weekdays_and_ages)
{
	int64_t d, dob;
	date_parse("2026-11-22", &d, NULL);
	cr_expect_eq(date_weekday(d), 6, "22 Nov 2026 is a Sunday");
	date_parse("2026-11-23", &d, NULL);
	cr_expect_eq(date_weekday(d), 0);
	date_parse("1961-11-23", &dob, NULL);
	date_parse("2026-11-22", &d, NULL);
	cr_expect_eq(date_age(dob, d), 64, "the day before the 65th birthday");
	cr_expect_eq(date_age(dob, d + 1), 65);
}

Test(clock, stamps_and_parses_utc)
{
	char out[21];
	clock_stamp(1795341600, out);
	cr_expect_str_eq(out, "2026-11-22T10:00:00Z");
	time_t t;
	cr_expect_eq(clock_parse("2026-11-22T10:00:00Z", &t, NULL), BR_OK);
	cr_expect_eq(t, 1795341600);
	cr_expect_eq(clock_parse("2026-11-22T25:00:00Z", &t, NULL), BR_DATA);
	cr_expect_eq(clock_parse("2026-11-22 10:00", &t, NULL), BR_DATA);
}

Test(clock, can_be_fixed_for_tests)
{
	clock_fix(1795341600);
	char d[11];
	date_format(clock_today(), d);
	cr_expect_str_eq(d, "2026-11-22");
	clock_fix(0);
	cr_expect_gt(clock_now(), 1700000000);
}

struct fold_case {
	char in[32], out[32];
};

ParameterizedTestParameters(text, fold)
{
	static struct fold_case cases[] = {
		{"Siân", "sian"}, {"Zoë", "zoe"}, {"O'Neill", "oneill"}, {"Ó Súilleabháin", "osuilleabhain"},
		{"Wiśniewska", "wisniewska"}, {"Łukasz", "lukasz"}, {"Gaskell-Smith", "gaskellsmith"},
		{"Dvořák", "dvorak"}, {"Müller", "muller"}, {"Åberg", "aberg"}, {"JONES", "jones"},
		{"CH44 5AB", "ch445ab"}, {"", ""},
	};
	return cr_make_param_array(struct fold_case, cases, sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct fold_case *c, text, fold)
{
	char out[64];
	text_fold(c->in, out, sizeof out);
	cr_expect_str_eq(out, c->out, "fold(%s)", c->in);
}

Test(text, sanitise_replaces_control_characters_and_bad_utf8)
{
	char out[64];
	text_sanitise("a\x1b[2Jb", out, sizeof out);
	cr_expect_str_eq(out, "a?[2Jb");
	text_sanitise("tab\there\nnew", out, sizeof out);
	cr_expect_str_eq(out, "tab?here?new");
	text_sanitise("Siân \xc2\x9b", out, sizeof out);
	cr_expect_str_eq(out, "Siân ?", "C1 control replaced");
	text_sanitise("bad \xff\xfe end", out, sizeof out);
	cr_expect_str_eq(out, "bad ?? end");
	text_sanitise("rtl \xe2\x80\xae x", out, sizeof out);
	cr_expect_str_eq(out, "rtl ? x", "bidi override replaced");
}

/* Issue 27, finding 10: every bidirectional control of Unicode (Bidi_Control)
 * is unsafe, and text of nothing but spaces, of any script, or characters
 * that show nothing, is not present. */
Test(text, every_bidi_control_is_unclean_and_spaces_of_any_script_are_blank)
{
	const char *bidi[] = {"\xd8\x9c", "\xe2\x80\x8e", "\xe2\x80\x8f", "\xe2\x80\xaa", "\xe2\x80\xab",
			      "\xe2\x80\xac", "\xe2\x80\xad", "\xe2\x80\xae", "\xe2\x81\xa6", "\xe2\x81\xa7",
			      "\xe2\x81\xa8", "\xe2\x81\xa9"};
	for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
		char s[16];
		snprintf(s, sizeof s, "a%sb", bidi[i]);
		cr_expect_not(text_clean(s), "bidi control %zu", i);
	}
	const char *blank[] = {"", "   ", "\t", "\xc2\xa0", "\xe3\x80\x80", "\xe2\x80\x83", "\xe2\x80\x8b",
			       " \xc2\xa0\xe2\x80\x8b\xef\xbb\xbf "};
	for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++)
		cr_expect_not(text_present(blank[i]), "blank %zu", i);
	cr_expect(text_present("\xc2\xa0x"));
	cr_expect(text_present("Siân"));
	cr_expect(text_present("\xff"), "a bad byte is something (text_clean refuses it)");
}

Test(text, sanitise_never_splits_a_character)
{
	char out[5];
	text_sanitise("abcâ", out, sizeof out);
	cr_expect_str_eq(out, "abc", "â needs two bytes; only one fits");
}

Test(text, copy_truncates_at_a_character_boundary)
{
	char out[5];
	text_copy(out, sizeof out, "Zoëe");
	cr_expect_str_eq(out, "Zoë");
	text_copy(out, sizeof out, "abcdë");
	cr_expect_str_eq(out, "abcd");
}

Test(text, the_folder_of_a_path)
{
	char out[64];
	path_folder("/var/lib/brokerage/brokerage.db", out, sizeof out);
	cr_expect_str_eq(out, "/var/lib/brokerage");
	path_folder("brokerage.db", out, sizeof out);
	cr_expect_str_eq(out, ".");
	path_folder("/b.db", out, sizeof out);
	cr_expect_str_eq(out, "/");
	path_folder("a/b/", out, sizeof out);
	cr_expect_str_eq(out, "a/b");
}

/* Issue 15: folding is Unicode's (libutf8proc), for every script. */
Test(text, fold_works_for_every_script)
{
	char out[64];
	struct { const char *in, *want; } cases[] = {
		{"Siân O'Neill", "sianoneill"},
		{"ŁUKASZ Wójcik", "lukaszwojcik"},
		{"Søren Ægir", "sorenaegir"},
		{"Öztürk", "ozturk"},
		{"Straße", "strasse"},
		{"Σοφία", "σοφια"},
		{"Дмитрий", "дмитрии"},
		{"Nguyễn", "nguyen"},
		{"ﬁnn", "finn"},            /* a ligature, by compatibility */
		{"  ", ""},
		{"a\x01" "b\xff" "c", "abc"},  /* control and invalid bytes dropped */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		text_fold(cases[i].in, out, sizeof out);
		cr_expect_str_eq(out, cases[i].want, "fold(%s)", cases[i].in);
	}
	/* never half a character when the key is full */
	text_fold("Σοφία", out, 4);
	cr_expect_str_eq(out, "σ");
}

/* Issue 20: the date in words is one function (it was written in four files). */
Test(util, a_date_in_words)
{
	char out[24];
	int64_t d = date_days(2026, 11, 29);
	date_words(d, DATE_WITH_YEAR, out, sizeof out);
	cr_expect_str_eq(out, "29 Nov 2026");
	date_words(d, DATE_NO_YEAR, out, sizeof out);
	cr_expect_str_eq(out, "29 Nov");
	date_words(d, DATE_WEEKDAY, out, sizeof out);
	cr_expect_str_eq(out, "Sun 29 Nov", "a night: the day of the week");
	date_words(date_days(2026, 12, 5), DATE_WEEKDAY, out, sizeof out);
	cr_expect_str_eq(out, "Sat 5 Dec");
	clock_fix((time_t)(date_days(2026, 11, 22) * 86400 + 36000));
	date_words(d, DATE_YEAR_IF_OTHER, out, sizeof out);
	cr_expect_str_eq(out, "29 Nov", "this year's");
	date_words(date_days(2027, 1, 4), DATE_YEAR_IF_OTHER, out, sizeof out);
	cr_expect_str_eq(out, "4 Jan 2027");
	cr_expect(!date_words_text("2026-13-01", DATE_WITH_YEAR, out, sizeof out));
	cr_expect_str_eq(out, "2026-13-01", "not a date: as it was");
	cr_expect(date_words_text("2026-02-01", DATE_WITH_YEAR, out, sizeof out));
	cr_expect_str_eq(out, "1 Feb 2026");
}
