/*
** The first build_source (build.h): fan-out from the CSV file a template's front matter
** names, inputs hashed per unit and per period, and a stand-in renderer that fills
** `{{column}}` tags into Markdown. The dataset stage replaces the pieces it owns (see
** docs/README-build.md, "The source interface").
*/
#ifndef BAOCAO_BUILDSRC_H
#define BAOCAO_BUILDSRC_H

#include "build.h"

/* A source reading templates/ and the data files their front matter names, relative to the
 * working directory. Free with buildsrc_free(), or through its release member. */
build_source *buildsrc_new(void);
void buildsrc_free(build_source *src);

#endif
