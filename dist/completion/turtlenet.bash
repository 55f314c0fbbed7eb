# turtlenet.bash - Tab completion for turtle(1) and turtled(8) in bash.
#
# Installed twice, as bash-completion/completions/turtle and .../turtled
# (bash-completion loads the file named after the command); either copy
# defines both.  Needs nothing from bash-completion itself, so it also works
# when sourced by hand:  . dist/completion/turtlenet.bash
# zsh can use it too:  autoload -U bashcompinit && bashcompinit && . FILE

# _turtlenet_sockets CUR: what -S may name: directories and AF_UNIX
# sockets under CUR (not the PATH.ping endpoints), and, before a path is
# begun, the sockets in the directories turtled uses by default.
_turtlenet_sockets()
{
	local cur=$1 f d IFS=$'\n'

	compopt -o filenames 2>/dev/null
	for f in $(compgen -f -- "$cur"); do
		if [[ -d $f || (-S $f && $f != *.ping) ]]; then
			COMPREPLY+=("$f")
		fi
	done
	[[ $cur == */* || $cur == \~* ]] && return
	for d in ${XDG_RUNTIME_DIR:+"$XDG_RUNTIME_DIR/turtlenet"} \
		"/tmp/turtlenet-$UID" /run/turtlenet; do
		for f in "$d"/*; do
			if [[ -S $f && $f != *.ping && $f == "$cur"* ]]; then
				COMPREPLY+=("$f")
			fi
		done
	done
}

_turtle()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= i w sub= opts

	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	# The subcommand, if one comes before the word being completed.
	for ((i = 1; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		case $w in
		-S | -s | -n | -c | --token | --token-file | --turn-timeout) ((i++)) ;;
		ping | status | export)
			sub=$w
			break
			;;
		esac
	done

	case $prev in
	-S)
		_turtlenet_sockets "$cur"
		return 0
		;;
	--token-file)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	-s | -n | -c | --token | --turn-timeout | -i | -W | --scale)
		# HOST:PORT, a name, commands, a secret, numbers: free text.
		return 0
		;;
	export)
		COMPREPLY=($(compgen -W "svg png txt" -- "$cur"))
		return 0
		;;
	svg | png | txt)
		if [[ $sub == export ]]; then
			compopt -o filenames 2>/dev/null
			COMPREPLY=($(compgen -f -- "$cur"))
			return 0
		fi
		;;
	--draw)
		COMPREPLY=($(compgen -W "braille box ascii" -- "$cur"))
		return 0
		;;
	esac

	case $sub in
	ping) opts="-c -i -W -S -s" ;;
	status) opts="-W -S -s" ;;
	export) opts="--scale -S -s" ;;
	*)
		if [[ $cur != -* ]]; then
			COMPREPLY=($(compgen -W "ping status export" -- "$cur"))
			return 0
		fi
		opts="-S -s -n -c -v -h --token --token-file --no-start --ascii
			--draw --watch --raw --turn-timeout --verbose --help --version"
		;;
	esac
	COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}

_turtled()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev= opts

	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()
	case $prev in
	-S)
		_turtlenet_sockets "$cur"
		return 0
		;;
	--log | --pidfile | --token-file | --admin-token-file)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	--state)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -W none -- "$cur"))
		return 0
		;;
	--fsync)
		COMPREPLY=($(compgen -W "always batch none" -- "$cur"))
		return 0
		;;
	--mode)
		COMPREPLY=($(compgen -W "free turns" -- "$cur"))
		return 0
		;;
	-l | --token | --admin-token | --turn-time | --max-clients | \
		--max-startups | --login-grace | --worker-uses | --rate | \
		--burst | --out-limit | --slow-timeout | --size | --trail | \
		--compact)
		return 0
		;;
	esac
	opts="-f -v -V -h -S -l --help --version --token --token-file
		--admin-token --admin-token-file --mode --turn-time --max-clients --max-startups
		--login-grace --worker-uses --rate --burst --out-limit
		--slow-timeout --size --trail --log --pidfile --unsafe-socket-dir
		--state --fsync --compact"
	COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}

complete -F _turtle turtle
complete -F _turtled turtled
