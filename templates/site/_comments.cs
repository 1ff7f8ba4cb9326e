<?cs # Comments under an article: written with the comments work. ?>
