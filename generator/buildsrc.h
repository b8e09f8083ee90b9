/*
** The build_source (build.h) of `baocao build`: fan-out from the CSV file a template's front
** matter names, filled by the dataset stage (fill.h), inputs hashed per unit and per period,
** rendered to Markdown, PDF (render_pdf) and HTML (htmlout_write). See README.md, "baocao build",
** "The source interface".
*/
#ifndef BAOCAO_BUILDSRC_H
#define BAOCAO_BUILDSRC_H

#include "build.h"

/* A source reading templates/ and the data files their front matter names, relative to the
 * working directory. Free with buildsrc_free(), or through its release member. */
build_source *buildsrc_new(void);
void buildsrc_free(build_source *src);

#endif
