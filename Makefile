# ecsd - one plain Makefile. `make` builds build/ecsd and build/ecs;
# `make SAN=1` builds the sanitizer variant into build-san/.
# `make test` runs everything (see tests/run); `make unit`, `make bench`,
# `make fuzz` run one part.

CC      ?= cc
SAN     ?= 0
WERROR  ?= 1
OPT     ?= -O2

ifeq ($(SAN),1)
B       ?= build-san
SANFLAGS:= -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT     := -O1 -g
else
B       ?= build
SANFLAGS:=
endif

WARN    := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wundef -Wpointer-arith \
           -Wcast-align -Wwrite-strings -Wvla -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN    += -Werror
endif

PKGS    := libmicrohttpd sqlite3 libcrypto jansson libpq libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -I$(shell pg_config --includedir 2>/dev/null || echo /usr/include/postgresql)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lmicrohttpd -lsqlite3 -lcrypto -ljansson -lpq -lcurl)

CFLAGS  += -std=c17 -D_GNU_SOURCE -g $(OPT) $(WARN) $(SANFLAGS) $(PKG_CFLAGS) -MMD -MP
LDFLAGS += $(SANFLAGS)
LDLIBS  += $(PKG_LIBS) -lpthread -lm

LIB_SRC  := $(shell find src -name '*.c' ! -name main.c | sort)
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/obj/%.o)
# the browser console (issue 14): web/console/ compiled into the binary
WEB_FILES:= $(sort $(shell find web/console -type f 2>/dev/null))
LIB_OBJ  += $(B)/obj/gen/web_files.o
ECS_SRC  := $(sort $(wildcard tools/ecs/*.c))
ECS_OBJ  := $(ECS_SRC:%.c=$(B)/obj/%.o)
BENCH_SRC:= $(sort $(wildcard tools/bench/*.c))
BENCH_OBJ:= $(BENCH_SRC:%.c=$(B)/obj/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/%)

.PHONY: all clean unit unit-bins test bench fuzz
all: $(B)/ecsd $(if $(ECS_SRC),$(B)/ecs) $(if $(BENCH_SRC),$(B)/ecs-bench)

# Every distinct parameter name as a compiled name (PARAM_InstanceId):
# regenerated from the products' params.def files whenever one changes.
PARAM_DEFS := $(shell find src -name params.def -o -name '*_params.def')
src/api/param_names.def: $(PARAM_DEFS) scripts/param-names.sh
	./scripts/param-names.sh

$(B)/obj/%.o: %.c | src/api/param_names.def
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(B)/gen/web_files.c: $(WEB_FILES) scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh web $(WEB_FILES) > $@.tmp && mv $@.tmp $@

$(B)/obj/gen/web_files.o: $(B)/gen/web_files.c src/ctl/web_files.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc/ctl -c $< -o $@

$(B)/libecsd.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/ecsd: $(B)/obj/src/main.o $(B)/libecsd.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/ecs: $(ECS_OBJ) $(B)/libecsd.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/ecs-bench: $(BENCH_OBJ) $(B)/libecsd.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/test_%: $(B)/obj/tests/unit/test_%.o $(B)/libecsd.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

unit-bins: $(UNIT_BIN)

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do $$t; done

test:
	./tests/run

bench: all
	./bench/run
	./bench/pg
	./bench/soak

fuzz:
	./fuzz/run

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ---- install (PREFIX, DESTDIR): the two binaries, their man pages written
# from the binaries' own tables and --help, and a systemd unit for a node.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
UNITDIR ?= $(PREFIX)/lib/systemd/system
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo 0)

.PHONY: man install uninstall
man: $(B)/ecsd $(B)/ecs
	tools/mkman.sh $(B) $(B)/man $(VERSION)

install: all man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(UNITDIR)
	install -m 0755 $(B)/ecsd $(B)/ecs $(DESTDIR)$(BINDIR)/
	install -m 0644 $(B)/man/ecs.1 $(DESTDIR)$(MANDIR)/man1/ecs.1
	install -m 0644 $(B)/man/ecsd.8 $(DESTDIR)$(MANDIR)/man8/ecsd.8
	sed 's|@BINDIR@|$(BINDIR)|g' dist/ecsd@.service.in >$(DESTDIR)$(UNITDIR)/ecsd@.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/ecsd@.service

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/ecsd $(DESTDIR)$(BINDIR)/ecs $(DESTDIR)$(MANDIR)/man1/ecs.1 \
	      $(DESTDIR)$(MANDIR)/man8/ecsd.8 $(DESTDIR)$(UNITDIR)/ecsd@.service
