# bash completion for brokerage(1). Installed to
# /usr/share/bash-completion/completions/brokerage (or under PREFIX).
# Commands, subcommands and options come from this file; service codes,
# locality codes (from the config), tables and report names from
# `brokerage complete WHAT`, so they follow the program and its config.

_brokerage_words()
{
	# the program's own list; quiet when it cannot answer
	"${COMP_WORDS[0]}" complete "$1" 2>/dev/null
}

_brokerage()
{
	local cur prev cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmd=""
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		--config|--as) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done

	case $prev in
	--config|--out|--witness|backup) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--service) COMPREPLY=($(compgen -W "$(_brokerage_words services)" -- "$cur")); return ;;
	--locality) COMPREPLY=($(compgen -W "$(_brokerage_words localities)" -- "$cur")); return ;;
	--format) COMPREPLY=($(compgen -W "csv json table" -- "$cur")); return ;;
	--urgency) COMPREPLY=($(compgen -W "routine urgent emergency" -- "$cur")); return ;;
	--funding) COMPREPLY=($(compgen -W "ASC CHC JOINT" -- "$cur")); return ;;
	--role) COMPREPLY=($(compgen -W "officer supervisor oncall admin viewer" -- "$cur")); return ;;
	--tier) COMPREPLY=($(compgen -W "primary secondary peripheral" -- "$cur")); return ;;
	--override) COMPREPLY=($(compgen -W "person_choice clinical spot out_of_locality" -- "$cur")); return ;;
	esac

	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$(_brokerage_words commands) --config --as --help --version" -- "$cur"))
		return
	fi
	case $cmd in
	export) COMPREPLY=($(compgen -W "$(_brokerage_words tables) --format --out --include-restricted --reason --help" -- "$cur")) ;;
	import) COMPREPLY=($(compgen -W "$(_brokerage_words imports) --dry-run --help" -- "$cur"))
		[ ${#COMPREPLY[@]} -eq 0 ] && COMPREPLY=($(compgen -f -- "$cur")) ;;
	report) COMPREPLY=($(compgen -W "$(_brokerage_words reports) --from --to --locality --service --format --help" -- "$cur")) ;;
	*) COMPREPLY=($(compgen -W "$(_brokerage_words "options $cmd") --help" -- "$cur")) ;;
	esac
}
complete -F _brokerage brokerage
