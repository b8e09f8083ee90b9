/*
** The subcommands of the command line (one file each: cmd_NAME.c). Each takes the arguments
** after its name and returns the exit status: 0 good, 1 some input failed, 2 usage.
*/
#ifndef BAOCAO_CMD_H
#define BAOCAO_CMD_H

int cmd_data(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_render(int argc, char **argv);
int cmd_build(int argc, char **argv);

#endif
